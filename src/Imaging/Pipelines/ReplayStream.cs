using OgActors.Imaging.Streams;

namespace OgActors.Imaging.Pipelines;

/// <summary>A read-only stream that first replays a head already read from <paramref name="rest"/>, then continues with it.</summary>
internal sealed class ReplayStream(ReadOnlyMemory<byte> head, Stream rest) : ReadOnlyStream
{
    private ReadOnlyMemory<byte> _head = head;
    private long _position;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_head.Length > 0)
        {
            var take = Math.Min(buffer.Length, _head.Length);
            _head[..take].CopyTo(buffer);
            _head = _head[take..];
            _position += take;
            return take;
        }
        var read = await rest.ReadAsync(buffer, cancellationToken);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_head.Length > 0)
        {
            var take = Math.Min(buffer.Length, _head.Length);
            _head.Span[..take].CopyTo(buffer);
            _head = _head[take..];
            _position += take;
            return take;
        }
        var read = rest.Read(buffer);
        _position += read;
        return read;
    }

    public override long Position { get => _position; set => throw new NotSupportedException(); }
}
