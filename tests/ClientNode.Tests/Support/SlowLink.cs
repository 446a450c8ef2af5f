namespace OgActors.ClientNode.Tests.Support;

/// <summary>
/// A slow network link for HttpClient (like <c>tc</c> rate limiting, in process): response bodies are delivered at most
/// <paramref name="bytesPerSecond"/>, in small reads, so a test can interrupt a transfer in the middle. The server and the
/// bytes are real; only the pace changes.
/// </summary>
public sealed class SlowLink(long bytesPerSecond) : ImageBodyLink
{
    protected override Stream Alter(Stream body) => new SlowStream(body, bytesPerSecond);

    private sealed class SlowStream(Stream inner, long bytesPerSecond) : BodyStream(inner)
    {
        private const int Chunk = 64 * 1024;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await Inner.ReadAsync(buffer[..Math.Min(buffer.Length, Chunk)], cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds((double)read / bytesPerSecond), cancellationToken);
            return read;
        }
    }
}
