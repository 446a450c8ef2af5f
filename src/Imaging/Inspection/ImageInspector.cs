namespace OgActors.Imaging.Inspection;

/// <summary>
/// OpenGnsys's ogGetImageInfo done right: reads only the head of an image (file, first volume of a split
/// set, or Clonezilla/FOG directory) and reports what it is. Throws <see cref="ImageFormatException"/>.
/// </summary>
public static class ImageInspector
{
    /// <summary>One entry for a file or split set; one per partition for an image directory.</summary>
    public static IReadOnlyList<PartitionImageInfo> Inspect(string path) => throw new NotImplementedException("issue 3");

    /// <summary>Inspects the decompressable head of a stream (at least the first 1 MiB, or all of it if shorter).</summary>
    public static PartitionImageInfo InspectHead(ReadOnlySpan<byte> head, long storedSize) => throw new NotImplementedException("issue 3");
}
