using OgActors.ClientNode.Cache;
using OgActors.Imaging.Streams;

namespace OgActors.ClientNode.Transfers;

/// <summary>
/// The body of a repository's image response as a transfer reads it: a connection reset or closed before the
/// <paramref name="expected"/> bytes arrived, or no byte for <paramref name="stallTimeout"/> while a read waits (a host
/// switched off answers nothing at all), becomes a <see cref="RepositoryLostException"/> — the repository went away — and is
/// remembered in <see cref="Lost"/>, so a caller whose consumer (a restore tool's pipeline) turned it into its own failure
/// can still tell the repository was the cause. Cancellation by the caller stays cancellation. <see cref="Count"/> is the
/// bytes read.
/// </summary>
public sealed class RepositoryBodyStream(Stream inner, string repository, string image, long offset, long expected, TimeSpan stallTimeout)
    : ReadOnlyStream
{
    /// <summary>Bytes read from this response.</summary>
    public long Count { get; private set; }

    /// <summary>Why the repository went away while this body was read (null: it did not).</summary>
    public RepositoryLostException? Lost { get; private set; }

    /// <summary>Opens <paramref name="response"/>'s body (which starts at byte <paramref name="offset"/> of the image).</summary>
    public static async Task<RepositoryBodyStream> OpenAsync(HttpResponseMessage response, string repository, string image, long offset,
        long expected, TimeSpan stallTimeout, CancellationToken cancellationToken)
    {
        try
        {
            return new RepositoryBodyStream(await response.Content.ReadAsStreamAsync(cancellationToken), repository, image, offset, expected, stallTimeout);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            var why = RepositoryLostException.Clause(e);
            throw new RepositoryLostException(repository, why, $"Repository {repository} went away at {CachePolicy.Size(offset)} of image {image} ({why}).", e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Lost is not null) throw Lost;
        if (Count >= expected || buffer.Length == 0) return 0;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (stallTimeout > TimeSpan.Zero && stallTimeout != Timeout.InfiniteTimeSpan) stall.CancelAfter(stallTimeout);
        int read;
        try
        {
            read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, expected - Count)], stall.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && stall.IsCancellationRequested)
        {
            throw Gone($"no byte arrived for {stallTimeout.TotalSeconds:0.#} s", null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw Gone(RepositoryLostException.Clause(e), e);
        }
        if (read == 0) throw Gone($"its response ended after {Count} of {expected} bytes", null);
        Count += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    private RepositoryLostException Gone(string why, Exception? cause) => Lost = new RepositoryLostException(repository, why,
        $"Repository {repository} went away at {CachePolicy.Size(offset + Count)} of image {image} ({why}).", cause);

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
