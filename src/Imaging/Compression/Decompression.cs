using System.IO.Compression;
using K4os.Compression.LZ4.Streams;
using OgActors.Imaging.Compression.Bzip2;
using OgActors.Imaging.Formats;
using Compressor = OgActors.Imaging.Formats.Compressor;
using ZstdDecompressionStream = ZstdSharp.DecompressionStream;

namespace OgActors.Imaging.Compression;

/// <summary>Streaming decoders for every <see cref="Compressor"/>; all read concatenated members/frames where the format has them.</summary>
public static class Decompression
{
    /// <summary>Wraps <paramref name="compressed"/> in the decoder for <paramref name="compressor"/> (the stream itself for None).</summary>
    public static Stream Open(Compressor compressor, Stream compressed, bool leaveOpen = false) => compressor switch
    {
        Compressor.None => leaveOpen ? new ReadCountingStream(compressed, leaveOpen: true) : compressed,
        Compressor.Gzip => new GZipStream(compressed, CompressionMode.Decompress, leaveOpen),        // reads pigz/cat'ed multi-member
        Compressor.Lzop => new LzopStream(compressed, leaveOpen),
        Compressor.Zstd => new ZstdDecompressionStream(compressed, leaveOpen: leaveOpen),                 // multi-frame
        Compressor.Bzip2 => new Bzip2Stream(compressed, leaveOpen),                                 // multi-stream (pbzip2); lazy inverse BWT
        Compressor.Xz => new XzConcatenatedStream(compressed, leaveOpen),                          // multi-stream
        Compressor.Lz4 => LZ4Stream.Decode(compressed, leaveOpen: leaveOpen),
        _ => throw new ArgumentOutOfRangeException(nameof(compressor), compressor, null),
    };

    /// <summary>Detects the compressor from the stream's first bytes (replayed to the decoder, so any stream will do) and opens its decoder.</summary>
    public static Stream OpenDetected(Stream compressed, out Compressor compressor, bool leaveOpen = false)
    {
        var magic = new byte[CompressionDetector.MagicLength];
        int n = compressed.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        compressor = CompressionDetector.Detect(magic.AsSpan(0, n));
        var replay = new PrefixedStream(magic.AsMemory(0, n), compressed, leaveOpen);
        return Open(compressor, replay);
    }
}
