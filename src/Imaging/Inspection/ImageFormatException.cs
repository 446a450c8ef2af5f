namespace OgActors.Imaging.Inspection;

/// <summary>An image that cannot be understood. <see cref="Exception.Message"/> is one sentence saying what is wrong and where.</summary>
public sealed class ImageFormatException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>"{where}: at offset {offset}, {problem}." (offset in the decompressed stream when <paramref name="compressed"/>).</summary>
    internal static ImageFormatException At(string where, long offset, string problem, bool compressed = false) =>
        new($"{where}: at offset {offset}{(compressed ? " of the decompressed stream" : "")}, {problem}.");

    internal static ImageFormatException In(string where, string problem) => new($"{where}: {problem}.");
}
