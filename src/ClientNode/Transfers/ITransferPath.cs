using OgActors.ClientNode.Cache;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Progress;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Transfers;

/// <summary>
/// How an image reaches a computer by one protocol. The cache check decides <em>where</em> the image goes (into the
/// cache, or straight onto the partition); a transfer path only knows <em>how</em> the bytes travel. Unicast is
/// <see cref="UnicastTransfer"/>; multicast (udp-receiver) and torrent (aria2c) plug in as further implementations,
/// chosen by <see cref="Method"/>, without touching <see cref="CachePolicy"/> or the cache check.
/// </summary>
public interface ITransferPath
{
    TransferMethod Method { get; }

    /// <summary>Brings <paramref name="request"/>'s image into <paramref name="cache"/>, verified against the repository's full sum.</summary>
    Task<CacheUpdateResult> UpdateCacheAsync(TransferRequest request, ImageCache cache,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Restores the image straight onto <paramref name="targetPartition"/>, with no copy on disk; refuses before writing when it does not fit.</summary>
    Task<RestoreResult> RestoreDirectAsync(TransferRequest request, string targetPartition,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken);
}

/// <summary>One image to move: the job that asks for it, what the repository says of it, and the repository itself.</summary>
/// <param name="Job">The job it is for (SESSION/COMPUTER): a partial copy resumed by the same job counts its earlier attempts.</param>
public sealed record TransferRequest(JobSpec Spec, RepositoryImageFacts Image, RepositoryClient Repository, string Job = "")
{
    /// <summary>
    /// The job's fail-over to the repositories holding the same content (unicast): when <see cref="Repository"/> goes away
    /// mid-transfer the bytes come from the next one; null = the transfer fails with the repository's sentence.
    /// </summary>
    public RepositoryFailover? Failover { get; init; }
}

/// <summary>
/// What a cache update did: the committed image, the offset the download resumed from (0 = from the start), and the
/// bytes actually fetched over the network this time.
/// </summary>
/// <para><paramref name="EarlierBytes"/> / <paramref name="EarlierDuration"/>: what this job's earlier attempts at the same partial
/// copy fetched and took (0 when it is the first, or when another job left the partial copy); <paramref name="Attempt"/>: this
/// attempt's number.</para>
public sealed record CacheUpdateResult(CachedImage Image, long ResumedFrom, long BytesFetched, TimeSpan Elapsed,
    long EarlierBytes = 0, TimeSpan EarlierDuration = default, int Attempt = 1);
