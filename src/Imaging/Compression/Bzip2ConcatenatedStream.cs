using ICSharpCode.SharpZipLib.BZip2;
using OgActors.Imaging.Streams;

namespace OgActors.Imaging.Compression;

/// <summary>
/// bzip2 files may hold several streams back to back (pbzip2 output, `cat a.bz2 b.bz2`); SharpZipLib's
/// <see cref="BZip2InputStream"/> decodes one. This reads them all as one stream.
/// </summary>
public sealed class Bzip2ConcatenatedStream(Stream compressed, bool leaveOpen = false) : ReadOnlyStream
{
    private BZip2InputStream? _current = new(compressed) { IsStreamOwner = false };

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_current is not null)
        {
            int n = _current.Read(buffer);
            if (n > 0 || buffer.Length == 0) return n;
            _current.Dispose();
            _current = NextStream();
        }
        return 0;
    }

    private BZip2InputStream? NextStream()
    {
        var magic = new byte[4];
        int got = compressed.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got == 0) return null;
        if (got < 4 || magic[0] != 'B' || magic[1] != 'Z' || magic[2] != 'h' || magic[3] is < (byte)'1' or > (byte)'9')
            throw new InvalidDataException("data after a bzip2 stream is not another bzip2 stream");
        return new BZip2InputStream(new PrefixedStream(magic, compressed, leaveOpen: true)) { IsStreamOwner = true };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            if (!leaveOpen) compressed.Dispose();
        }
        base.Dispose(disposing);
    }
}
