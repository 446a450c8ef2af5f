namespace OgActors.Lab;

/// <summary>A lab computer's files: DIR/computers/NAME/{partitions/partN.img, cache/}. Partitions are sparse files.</summary>
public sealed record LabComputerFiles(LabComputer Computer, string DataDir, IReadOnlyList<LabPartition> Partitions, string CacheDir)
{
    /// <summary>Creates what is missing; an existing partition file keeps its contents (and is grown if it is smaller).</summary>
    public static LabComputerFiles Prepare(string labDir, LabComputer computer)
    {
        var dataDir = Path.Combine(labDir, "computers", computer.Name);
        var partitionsDir = Path.Combine(dataDir, "partitions");
        var cacheDir = Path.Combine(dataDir, "cache");
        Directory.CreateDirectory(partitionsDir);
        Directory.CreateDirectory(cacheDir);
        var partitions = new List<LabPartition>();
        for (var i = 0; i < computer.PartitionSizes.Count; i++)
        {
            var file = Path.Combine(partitionsDir, $"part{i + 1}.img");
            using (var stream = new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite))
                if (stream.Length < computer.PartitionSizes[i]) stream.SetLength(computer.PartitionSizes[i]); // sparse
            partitions.Add(new LabPartition(i + 1, file, new FileInfo(file).Length));
        }
        return new LabComputerFiles(computer, dataDir, partitions, cacheDir);
    }
}
