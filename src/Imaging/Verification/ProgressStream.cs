using OgActors.Imaging.Streams;

namespace OgActors.Imaging.Verification;

/// <summary>Passes reads through and tells <paramref name="onRead"/> the bytes read so far (the compressed offset).</summary>
internal sealed class ProgressStream(Stream inner, Action<long> onRead) : ReadOnlyStream
{
    private long _read;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        _read += n;
        onRead(_read);
        return n;
    }

    public override long Position { get => _read; set => throw new NotSupportedException(); }
}
