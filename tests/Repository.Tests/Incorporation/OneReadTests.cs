using OgActors.Repository.Tests.Support;
using OgActors.RepositoryNode;
using OgActors.RepositoryNode.Catalog;
using OgActors.RepositoryNode.Incorporation;

namespace OgActors.Repository.Tests.Incorporation;

/// <summary>Runs alone: it counts the bytes this process reads (<c>/proc/self/io</c> rchar), which other tests would add to.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessReadsCollection
{
    public const string Name = "counts the bytes the process reads";
}

/// <summary>
/// Incorporation reads the file once: deep verification (decompression and the structure walk) and the sidecars
/// (.sum, .full.sum, .torrent) come from the same read of NAME.img, measured as the read(2) bytes of the process.
/// </summary>
[Collection(ProcessReadsCollection.Name)]
public sealed class OneReadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("og-one-read-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Verification_and_the_sidecars_come_from_one_read_of_the_file()
    {
        // A real image of about 24 MiB: random files in ext4, partclone.extfs, lzop (random data stays its size).
        var content = Directory.CreateDirectory(Path.Combine(_directory, "content")).FullName;
        var random = new Random(11);
        for (var i = 0; i < 3; i++)
        {
            var data = new byte[8 << 20];
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(content, $"f{i}.bin"), data);
        }
        var fs = Path.Combine(_directory, "fs.ext4");
        var image = Path.Combine(_directory, "big.img");
        Tool.Run($"truncate -s 40M {Tool.Quote(fs)} && mkfs.ext4 -q -F -d {Tool.Quote(content)} {Tool.Quote(fs)}");
        Tool.Run($"partclone.extfs -c -s {Tool.Quote(fs)} -o - -L /dev/null 2>/dev/null | lzop -c > {Tool.Quote(image)}");
        File.Delete(fs);
        Directory.Delete(content, recursive: true);
        long size = new FileInfo(image).Length;
        size.Should().BeGreaterThan(20L << 20);

        var key = new ImageKey("", "big");
        var incorporator = new Incorporator(new RepositoryActorSettings { Name = "one-read", ImagesDirectory = _directory });
        long before = BytesReadByThisProcess();
        var outcome = await incorporator.IncorporateAsync(key, FileStamp.Of(image)!.Value, CancellationToken.None);
        long read = BytesReadByThisProcess() - before;

        outcome.Should().BeOfType<IncorporationOutcome.Incorporated>();
        ((IncorporationOutcome.Incorporated)outcome).Sums.FullSum.Should().Be(Tool.Md5Sum(image));
        read.Should().BeLessThan(size * 3 / 2, $"the {size}-byte file is read once (the process read {read} bytes)");
    }

    private static long BytesReadByThisProcess() =>
        long.Parse(File.ReadAllLines("/proc/self/io").First(l => l.StartsWith("rchar:", StringComparison.Ordinal))[6..].Trim());
}
