namespace OgActors.ClientNode.Tests.Support;

/// <summary>
/// A faulty link for HttpClient (a bad NIC, switch or caching proxy): the image body of a GET arrives with the byte at
/// <paramref name="offset"/> (counted from the start of the body) inverted. The server and every other byte are real.
/// </summary>
public sealed class FlippingLink(long offset) : ImageBodyLink
{
    protected override Stream Alter(Stream body) => new FlippingStream(body, offset);

    private sealed class FlippingStream(Stream inner, long offset) : BodyStream(inner)
    {
        private long _position;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await Inner.ReadAsync(buffer, cancellationToken);
            if (offset >= _position && offset < _position + n) buffer.Span[(int)(offset - _position)] ^= 0xFF;
            _position += n;
            return n;
        }
    }
}
