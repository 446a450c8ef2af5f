using System.Text.RegularExpressions;
using OgActors.Imaging.Volumes;

namespace OgActors.Imaging.Inspection;

/// <summary>
/// Image directories: Clonezilla (<c>parts</c>, <c>disk</c>, <c>sda1.ext4-ptcl-img.zst[.aa]</c>, <c>sda1.ntfs-img</c>,
/// <c>sda1.dd-img</c>, <c>sda1.000</c> …) and FOG (<c>d1.partitions</c>, <c>d1p1.img</c> or <c>d1p1.img.000</c> …).
/// One result per partition, named as the directory names it.
/// </summary>
internal static partial class ImageDirectory
{
    public static IReadOnlyList<PartitionImageInfo> Inspect(string dir)
    {
        try
        {
            if (File.Exists(Path.Combine(dir, "parts"))) return InspectClonezilla(dir);
            if (Directory.EnumerateFiles(dir, "d*.partitions").Any(f => FogTable().IsMatch(Path.GetFileName(f)))
                || Directory.EnumerateFiles(dir, "d*.mbr").Any()
                || Directory.EnumerateFiles(dir).Any(f => FogImage().IsMatch(Path.GetFileName(f))))
                return InspectFog(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ImageFormatException.In(dir, $"cannot be read ({HeadReader.Clause(e)})");
        }
        throw ImageFormatException.In(dir, "not an image directory: it has neither Clonezilla's parts file nor FOG's d1.partitions and d1pN.img files");
    }

    private static IReadOnlyList<PartitionImageInfo> InspectClonezilla(string dir)
    {
        var parts = File.ReadAllText(Path.Combine(dir, "parts")).Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw ImageFormatException.In(Path.Combine(dir, "parts"), "the Clonezilla parts file lists no partition");
        var files = Directory.GetFiles(dir).Select(Path.GetFileName).OfType<string>().ToArray();
        var results = new List<PartitionImageInfo>(parts.Length);
        foreach (var part in parts)
        {
            var candidates = files
                .Where(f => f.StartsWith(part + ".", StringComparison.Ordinal) && ClonezillaImage().IsMatch(f[(part.Length + 1)..]))
                .Select(f => Path.Combine(dir, f))
                .Where(f => !SplitVolumes.IsLaterVolume(f))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (candidates.Count == 0)
                throw ImageFormatException.In(dir, $"the Clonezilla parts file lists {part} but there is no image file for it (such as {part}.ext4-ptcl-img.zst)");
            if (candidates.Count > 1)
                throw ImageFormatException.In(dir, $"partition {part} has {candidates.Count} image files ({string.Join(", ", candidates.Select(Path.GetFileName))}), so which one to use is unclear");
            results.Add(ImageInspector.InspectFile(candidates[0], part));
        }
        return results;
    }

    private static IReadOnlyList<PartitionImageInfo> InspectFog(string dir)
    {
        var images = Directory.GetFiles(dir)
            .Select(f => (Path: f, Match: FogImage().Match(Path.GetFileName(f))))
            .Where(x => x.Match.Success)
            .Select(x => (x.Path, Disk: int.Parse(x.Match.Groups["disk"].Value), Part: int.Parse(x.Match.Groups["part"].Value),
                Split: x.Match.Groups["split"].Success))
            .GroupBy(x => (x.Disk, x.Part))
            .OrderBy(g => g.Key.Disk).ThenBy(g => g.Key.Part)
            .ToList();
        if (images.Count == 0) throw ImageFormatException.In(dir, "the FOG image directory has no d1pN.img partition image");
        var results = new List<PartitionImageInfo>(images.Count);
        foreach (var group in images)
        {
            var name = $"d{group.Key.Disk}p{group.Key.Part}";
            var whole = group.FirstOrDefault(x => !x.Split);
            var first = group.Where(x => x.Split).Select(x => x.Path).FirstOrDefault(p => SplitVolumes.IsFirstVolume(p, out _, out _));
            if (whole.Path is not null && first is not null)
                throw ImageFormatException.In(dir, $"partition {name} has both {name}.img and {name}.img.000, so which one to use is unclear");
            var path = whole.Path ?? first
                ?? throw ImageFormatException.In(dir, $"partition {name} has split volumes but no first volume {name}.img.000");
            results.Add(ImageInspector.InspectFile(path, name));
        }
        return results;
    }

    /// <summary>What follows "&lt;part&gt;." in a Clonezilla partition image name (partclone, ntfsclone, dd, old partclone, partimage).</summary>
    [GeneratedRegex(@"^(?!.*\.info$)([a-z0-9+]+-ptcl-img|ntfs-img|dd-img|[a-z0-9+]+-img)(\.[a-z0-9]+){0,2}$|^(\d{3}|[a-z]{2,3})$")]
    private static partial Regex ClonezillaImage();

    [GeneratedRegex(@"^d\d+\.partitions$")]
    private static partial Regex FogTable();

    [GeneratedRegex(@"^d(?<disk>\d+)p(?<part>\d+)\.img(?<split>\.\d{3})?$")]
    private static partial Regex FogImage();
}
