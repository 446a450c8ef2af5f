using OgActors.Imaging.Streams;

namespace OgActors.Imaging.Compression;

/// <summary>
/// Passes reads through, counts them as <see cref="Position"/> (some decoders, e.g. SharpCompress's XZStream, ask for it),
/// and disposes the inner stream only when asked to.
/// </summary>
public sealed class ReadCountingStream(Stream inner, bool leaveOpen = false) : ReadOnlyStream
{
    private long _read;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        _read += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen) inner.Dispose();
        base.Dispose(disposing);
    }

    public override long Position { get => _read; set => throw new NotSupportedException(); }
}
