using OgActors.Imaging.Formats;

namespace OgActors.Imaging.Compression;

/// <summary>Names a stream's compressor from its first bytes (its magic), never from a file name.</summary>
public static class CompressionDetector
{
    /// <summary>Bytes needed to tell every supported compressor apart.</summary>
    public const int MagicLength = 10;

    /// <summary>The compressor whose magic starts <paramref name="head"/>, or <see cref="Compressor.None"/>.</summary>
    public static Compressor Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B, 0x08])) return Compressor.Gzip;
        if (head.StartsWith(LzopStream.Magic)) return Compressor.Lzop;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD])) return Compressor.Zstd;
        if (head.Length >= 4 && (head[0] & 0xF0) == 0x50 && head[1] == 0x2A && head[2] == 0x4D && head[3] == 0x18)
            return Compressor.Zstd;                                             // zstd skippable frame first
        if (head.Length >= 10 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h' && head[3] is >= (byte)'1' and <= (byte)'9'
            && (head[4..10].SequenceEqual((ReadOnlySpan<byte>)[0x31, 0x41, 0x59, 0x26, 0x53, 0x59])
                || head[4..10].SequenceEqual((ReadOnlySpan<byte>)[0x17, 0x72, 0x45, 0x38, 0x50, 0x90])))
            return Compressor.Bzip2;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])) return Compressor.Xz;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x04, 0x22, 0x4D, 0x18])) return Compressor.Lz4;
        return Compressor.None;
    }
}
