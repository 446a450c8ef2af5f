using OgActors.Imaging.Formats;
using OgActors.Imaging.Volumes;

namespace OgActors.Imaging.Inspection;

/// <summary>
/// OpenGnsys's ogGetImageInfo done right: reads only the head of an image (file, first volume of a split
/// set, or Clonezilla/FOG directory) and reports what it is. Throws <see cref="ImageFormatException"/>.
/// </summary>
public static class ImageInspector
{
    /// <summary>One entry for a file or split set; one per partition for an image directory.</summary>
    public static IReadOnlyList<PartitionImageInfo> Inspect(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ImageFormatException("No image path was given.");
        if (Directory.Exists(path)) return ImageDirectory.Inspect(path);
        return [InspectFile(path)];
    }

    /// <summary>Inspects one image file, or the split set whose first volume it is (<c>.000</c>, <c>.aa</c> …).</summary>
    public static PartitionImageInfo InspectFile(string path, string? partitionName = null)
    {
        if (!File.Exists(path))
            throw ImageFormatException.In(path, Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/") ? "no such file" : "no such file or directory");
        if (SplitVolumes.IsLaterVolume(path))
            throw ImageFormatException.In(path, "this is a later volume of a split image; inspect its first volume instead");
        IReadOnlyList<string> volumes;
        long stored;
        try
        {
            volumes = SplitVolumes.Discover(path);
            stored = SplitVolumes.StoredSize(volumes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ImageFormatException.In(path, $"cannot be read ({HeadReader.Clause(e)})");
        }

        var stream = new VolumeSetStream(volumes);
        using var guarded = new HeadReader.ReadGuard(stream, () => stream.CurrentVolume);
        var head = HeadReader.Read(guarded, stored, path, sourceIsPartial: false);
        var ctx = new HeadContext(path, head.Compressor, stored, head.ReachedEnd, volumes, head.StreamLength);
        try
        {
            return HeadParser.Parse(head.Span, ctx) with { PartitionName = partitionName };
        }
        catch (ImageFormatException) when (head.Compressor != Compressor.None && !head.ReachedEnd)
        {
            HeadReader.ThrowIfStreamDamaged(new VolumeSetStream(volumes), path);   // a damaged first block says so
            throw;
        }
    }

    /// <summary>
    /// Inspects the decompressable head of a stream (at least the first 1 MiB, or all of it if shorter).
    /// <paramref name="storedSize"/> is the whole stream's size in bytes; pass 0 when it is unknown (a network stream).
    /// When it is no larger than the head, the head is the whole image and is checked as such (lengths, clean end);
    /// otherwise the head is a prefix, and a compressed block cut at its end is not an error.
    /// </summary>
    public static PartitionImageInfo InspectHead(ReadOnlySpan<byte> head, long storedSize)
    {
        const string where = "the image stream";
        if (head.Length == 0) throw ImageFormatException.In(where, storedSize == 0 ? "the image is empty" : "the head given is empty");
        bool whole = storedSize > 0 && storedSize <= head.Length;
        using var source = new MemoryStream(head.ToArray(), writable: false);
        var decoded = HeadReader.Read(source, head.Length, where, sourceIsPartial: !whole);
        var ctx = new HeadContext(where, decoded.Compressor, Math.Max(storedSize, head.Length), whole && decoded.ReachedEnd, [], decoded.StreamLength);
        return HeadParser.Parse(decoded.Span, ctx);
    }

    /// <summary>Inspects the head of a stream of unknown length (see <see cref="InspectHead(ReadOnlySpan{byte}, long)"/>).</summary>
    public static PartitionImageInfo InspectHead(ReadOnlySpan<byte> head) => InspectHead(head, 0);
}
