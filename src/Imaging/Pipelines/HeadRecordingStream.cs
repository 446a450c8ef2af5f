namespace OgActors.Imaging.Pipelines;

/// <summary>A write-through stream that keeps a copy of the first bytes written (to inspect an image while it is being made).</summary>
internal sealed class HeadRecordingStream(Stream inner, int headLength) : Stream
{
    private readonly byte[] _head = new byte[headLength];
    private int _recorded;

    public long BytesWritten { get; private set; }

    public bool HeadComplete => _recorded == _head.Length;

    public ReadOnlySpan<byte> Head => _head.AsSpan(0, _recorded);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Record(buffer.Span);
        await inner.WriteAsync(buffer, cancellationToken);
        BytesWritten += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Record(buffer);
        inner.Write(buffer);
        BytesWritten += buffer.Length;
    }

    private void Record(ReadOnlySpan<byte> buffer)
    {
        var take = Math.Min(buffer.Length, _head.Length - _recorded);
        if (take <= 0) return;
        buffer[..take].CopyTo(_head.AsSpan(_recorded));
        _recorded += take;
    }

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
