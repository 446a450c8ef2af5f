using OgActors.Imaging.Streams;

namespace OgActors.ClientNode.Tests.Support;

/// <summary>
/// A network link for HttpClient that alters how image bodies (GET, application/octet-stream) arrive — their pace or
/// their bytes — through a stream that <see cref="Alter"/> wraps around the real body. The server and the request are real.
/// </summary>
public abstract class ImageBodyLink() : DelegatingHandler(new SocketsHttpHandler())
{
    /// <summary>The body as this link delivers it.</summary>
    protected abstract Stream Alter(Stream body);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.Method != HttpMethod.Get || response.Content.Headers.ContentType?.MediaType != "application/octet-stream") return response;
        var altered = new StreamContent(Alter(await response.Content.ReadAsStreamAsync(cancellationToken)));
        foreach (var header in response.Content.Headers) altered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        response.Content = altered;
        return response;
    }

    /// <summary>A read-only stream over the real body: derived links implement one async read; disposal closes the body.</summary>
    protected abstract class BodyStream(Stream inner) : ReadOnlyStream
    {
        protected Stream Inner => inner;

        public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

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
