using OgActors.Imaging.Formats;
using OgActors.Imaging.Processes;

namespace OgActors.Imaging.Pipelines;

/// <summary>The external programs that compress and decompress each <see cref="Compressor"/> as a stream stage.</summary>
public static class CompressorCommands
{
    /// <summary>The compressing stage, or null for <see cref="Compressor.None"/>. gzip uses pigz when it is installed.</summary>
    public static ToolCommand? Compress(Compressor compressor, int? level = null)
    {
        string[] Level(int min, int max) => level is { } l ? [$"-{Math.Clamp(l, min, max)}"] : [];
        return compressor switch
        {
            Compressor.None => null,
            Compressor.Lzop => new ToolCommand("lzop", ["-c", .. Level(1, 9)]),
            Compressor.Gzip => new ToolCommand(Gzip, ["-c", .. Level(1, 9)]),
            Compressor.Zstd => new ToolCommand("zstd", ["-c", "-q", "-T0", .. Level(1, 19)]),
            Compressor.Bzip2 => new ToolCommand("bzip2", ["-c", .. Level(1, 9)]),
            Compressor.Xz => new ToolCommand("xz", ["-c", "-T0", .. Level(0, 9)]),
            Compressor.Lz4 => new ToolCommand("lz4", ["-c", "-q", .. Level(1, 12)]),
            _ => throw new ArgumentOutOfRangeException(nameof(compressor), compressor, "Unknown compressor."),
        };
    }

    /// <summary>The decompressing stage, or null for <see cref="Compressor.None"/>. Every one handles concatenated members/frames.</summary>
    public static ToolCommand? Decompress(Compressor compressor) => compressor switch
    {
        Compressor.None => null,
        Compressor.Lzop => new ToolCommand("lzop", "-dc"),
        Compressor.Gzip => new ToolCommand(Gzip, "-dc"),
        Compressor.Zstd => new ToolCommand("zstd", "-dc", "-q"),
        Compressor.Bzip2 => new ToolCommand("bzip2", "-dc"),
        Compressor.Xz => new ToolCommand("xz", "-dc"),
        Compressor.Lz4 => new ToolCommand("lz4", "-dc", "-q"),
        _ => throw new ArgumentOutOfRangeException(nameof(compressor), compressor, "Unknown compressor."),
    };

    private static string Gzip => ToolLocator.IsInstalled("pigz") ? "pigz" : "gzip";
}
