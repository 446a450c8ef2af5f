using SharpCompress.Compressors.Xz;

namespace OgActors.Imaging.Compression;

/// <summary>
/// xz files may hold several streams back to back (with zero padding between them, as `cat a.xz b.xz` or pixz make);
/// SharpCompress's <see cref="XZStream"/> decodes one. This reads them all as one stream.
/// </summary>
public sealed class XzConcatenatedStream(Stream compressed, bool leaveOpen = false)
    : ConcatenatedStream(compressed, new XZStream(new ReadCountingStream(compressed, leaveOpen: true)), leaveOpen)
{
    private static ReadOnlySpan<byte> Magic => [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00];

    protected override Stream? OpenNextMember()
    {
        // Stream padding: groups of four zero bytes; then either the end or another stream's magic.
        var group = new byte[4];
        while (true)
        {
            int got = Compressed.ReadAtLeast(group, 4, throwOnEndOfStream: false);
            if (got == 0) return null;
            if (got < 4) throw new InvalidDataException("xz stream padding is not a multiple of four bytes");
            if (group.AsSpan().IndexOfAnyExcept((byte)0) < 0) continue;
            var magic = new byte[Magic.Length];
            group.CopyTo(magic, 0);
            if (Compressed.ReadAtLeast(magic.AsSpan(4), 2, throwOnEndOfStream: false) < 2 || !magic.AsSpan().SequenceEqual(Magic))
                throw new InvalidDataException("data after an xz stream is neither padding nor another xz stream");
            return new XZStream(new ReadCountingStream(new PrefixedStream(magic, Compressed, leaveOpen: true)));
        }
    }
}
