using OgActors.Imaging.Streams;

namespace OgActors.ClientNode.Tests.Support;

/// <summary>
/// A slow network link for HttpClient (like <c>tc</c> rate limiting, in process): response bodies are delivered at most
/// <paramref name="bytesPerSecond"/>, in small reads, so a test can interrupt a transfer in the middle. The server and the
/// bytes are real; only the pace changes.
/// </summary>
public sealed class SlowLink(long bytesPerSecond) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.Method != HttpMethod.Get || response.Content.Headers.ContentType?.MediaType != "application/octet-stream") return response;
        var inner = await response.Content.ReadAsStreamAsync(cancellationToken);
        var slow = new StreamContent(new SlowStream(inner, bytesPerSecond));
        foreach (var header in response.Content.Headers) slow.Headers.TryAddWithoutValidation(header.Key, header.Value);
        response.Content = slow;
        return response;
    }

    private sealed class SlowStream(Stream inner, long bytesPerSecond) : ReadOnlyStream
    {
        private const int Chunk = 64 * 1024;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, Chunk)], cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds((double)read / bytesPerSecond), cancellationToken);
            return read;
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
