using OgActors.Imaging.Streams;

namespace OgActors.ClientNode.Tests.Support;

/// <summary>
/// A faulty link for HttpClient (a bad NIC, switch or caching proxy): the image body of a GET arrives with the byte at
/// <paramref name="offset"/> (counted from the start of the body) inverted. The server and every other byte are real.
/// </summary>
public sealed class FlippingLink(long offset) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.Method != HttpMethod.Get || response.Content.Headers.ContentType?.MediaType != "application/octet-stream") return response;
        var inner = await response.Content.ReadAsStreamAsync(cancellationToken);
        var flipped = new StreamContent(new FlippingStream(inner, offset));
        foreach (var header in response.Content.Headers) flipped.Headers.TryAddWithoutValidation(header.Key, header.Value);
        response.Content = flipped;
        return response;
    }

    private sealed class FlippingStream(Stream inner, long offset) : ReadOnlyStream
    {
        private long _position;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            if (offset >= _position && offset < _position + n) buffer.Span[(int)(offset - _position)] ^= 0xFF;
            _position += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
