using OgActors.Imaging.Formats;

namespace OgActors.Imaging.Inspection;

/// <summary>
/// What a header parser knows besides the decoded head: where the image is (for messages), how it was compressed,
/// how many bytes it stores, whether <see cref="HeadIsWholeStream"/> (the head is all the stream there is), and the
/// decoded stream's whole length when known (<see cref="StreamLength"/>: always for uncompressed images).
/// </summary>
internal sealed record HeadContext(
    string Where, Compressor Compressor, long StoredSize, bool HeadIsWholeStream, IReadOnlyList<string> Volumes, long? StreamLength)
{
    public bool Compressed => Compressor != Compressor.None;

    /// <summary>Checks the decoded stream's length, when known, against what the header announces.</summary>
    public void CheckLength(long expected, long? alternative, string announcedBy)
    {
        if (StreamLength is not { } actual || actual == expected || actual == alternative) return;
        string bytes = Compressed ? "bytes once decompressed" : "bytes";
        if (actual < expected)
            throw ImageFormatException.In(Where, $"the image is truncated: it holds {actual} {bytes} but its {announcedBy} announces {expected}");
        throw ImageFormatException.In(Where, $"the image has {actual - expected} {bytes} more than the {expected} its {announcedBy} announces");
    }

    public ImageFormatException Fail(long offset, string problem) => ImageFormatException.At(Where, offset, problem, Compressed);

    /// <summary>The head ends before <paramref name="needed"/> bytes: truncated image, or a head given too short.</summary>
    public ImageFormatException Short(int have, long needed, string what) => HeadIsWholeStream
        ? ImageFormatException.In(Where, $"the image is truncated: it ends after {have} bytes{(Compressed ? " of decompressed data" : "")}, inside its {what} which needs {needed}")
        : ImageFormatException.In(Where, $"the head given holds {have} decompressed bytes, too few for the {what} which needs {needed}");

    public PartitionImageInfo Info(CloneTool tool, string fs, long deviceSize, string toolVersion, string formatVersion,
        int blockSize, long totalBlocks, long usedBlocks, long usedBytes, string checksumMode) =>
        new(null, tool, Compressor, fs, deviceSize, toolVersion, formatVersion, blockSize, totalBlocks, usedBlocks, usedBytes,
            checksumMode, Volumes, StoredSize);
}
