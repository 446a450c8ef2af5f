using OgActors.ClientNode.Cache;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Progress;
using OgActors.Imaging.Sidecars;
using OgActors.Imaging.Torrent;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Transfers.Torrent;

/// <summary>
/// P2P through the computer's aria2c (<see cref="TorrentClient"/>), always through the cache (as in OpenGnsys: a torrent is
/// never restored straight onto a partition; the cache check sends a computer without room to direct unicast).
/// <para>Cache update: the repository's NAME.img.torrent (private, announcing the repository's tracker, its comment the full MD5)
/// is added to aria2 with <c>dir</c> = the cache and the file written as <c>NAME.img.part</c> (<c>index-out</c>), so a
/// partial copy stays where every transfer keeps it; aria2's control file <c>NAME.img.part.aria2</c> keeps the pieces
/// already verified, so a download cut off (job cancelled, computer powered off) resumes from them. When the last piece
/// is in, the whole file's MD5 must be the repository's full sum (<see cref="ImageCache.CommitAsync(string, string, CancellationToken)"/>),
/// then the copy is renamed to NAME.img (in peer mode aria2 keeps serving it meanwhile: at its last piece aria2 reopens the
/// file read-only and keeps that open file, so the rename does not disturb it).</para>
/// <para>Modes (<see cref="P2PMode"/>): leecher uploads (almost) nothing while downloading and does not seed afterwards; peer
/// shares what it has while downloading and seeds the committed copy while its job runs and for the seed time after; seeder:
/// a computer that already holds the verified image in its cache seeds it (<see cref="SeedCachedAsync"/>).</para>
/// </summary>
public sealed class TorrentTransfer(TorrentClient client) : ITransferPath
{
    /// <summary>A leecher's upload limit while it downloads (aria2 reads 0 as unlimited, so "no upload" is the smallest rate it takes).</summary>
    public const string LeecherUploadLimit = "1K";

    public TransferMethod Method => TransferMethod.Torrent;

    public TorrentClient Client => client;

    public async Task<CacheUpdateResult> UpdateCacheAsync(TransferRequest request, ImageCache cache,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var image = request.Image;
        await client.StopSeedingAsync(cancellationToken); // this job needs the cache
        var torrent = await TorrentOfAsync(request, cancellationToken);
        var control = cache.PartialPath(image.Name) + ".aria2";
        if (!string.Equals(cache.PartialVersion(image.Name), image.FullSum, StringComparison.OrdinalIgnoreCase))
        {
            cache.BeginPartial(image.Name, image.FullSum); // another version's pieces are no use
            File.Delete(control);
        }
        var partialBefore = cache.PartialBytes(image.Name);
        var rpc = await client.RpcAsync(cancellationToken);
        var leecher = request.Spec.P2P.Mode == P2PMode.Leecher;
        var options = new Dictionary<string, string>
        {
            ["dir"] = cache.Directory,
            ["index-out"] = $"1={Path.GetFileName(cache.PartialPath(image.Name))}",
            ["max-upload-limit"] = leecher ? LeecherUploadLimit : "0",
            ["allow-overwrite"] = "false",
            // A partial copy without aria2's control file (left by unicast): its pieces are checked and the good ones kept.
            ["check-integrity"] = partialBefore > 0 && !File.Exists(control) ? "true" : "false",
        };
        // A leecher stops at the last piece. A peer goes on seeding without a pause: the same aria2 download serves the
        // pieces while the copy is checked and committed (renamed to NAME.img under aria2's open file) and for the seed time
        // after — stopping and adding it again would leave the swarm one source short until the others re-announce.
        if (leecher) options["seed-time"] = "0";
        var meter = new ProgressMeter(progress, image.SizeBytes, 0);
        var gid = await rpc.AddTorrentAsync(torrent.Bytes, options, cancellationToken);
        // The attempt begins where aria2 resumed: the pieces its control file recorded (known at its first status).
        AttemptTracker? attempt = null;
        long? resumedFrom = null;
        Aria2Status status;
        try
        {
            while (true)
            {
                status = await rpc.TellStatusAsync(gid, cancellationToken);
                if (resumedFrom is null && status.TotalLength > 0 && status.Status != "waiting")
                {
                    resumedFrom = Math.Min(status.CompletedLength, image.SizeBytes);
                    attempt = cache.BeginAttempt(image.Name, request.Job, resumedFrom.Value);
                }
                if (status.Status == "complete" || status is { Status: "active", Seeder: true }) break;
                if (status.Status is "error" or "removed")
                    throw new RepositoryException(
                        $"aria2 could not download {image.Name}: {status.ErrorMessage.TrimEnd('.')} (aria2 error {status.ErrorCode}); the pieces it has stay for the next attempt.");
                meter.Report(status.CompletedLength);
                attempt?.Checkpoint(meter.Elapsed);
                Peers = status.Connections;
                await Task.Delay(500, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Cancelled (or the node stops): aria2 stops and writes its control file (the verified pieces) before it says so;
            // the next job resumes from them.
            await rpc.RemoveAsync(gid, CancellationToken.None);
            throw;
        }
        finally { attempt?.Checkpoint(meter.Elapsed, force: true); }
        attempt ??= cache.BeginAttempt(image.Name, request.Job, resumedFrom ?? 0);
        var seeding = !leecher && status.Status == "active";
        if (!seeding) await rpc.RemoveAsync(gid, cancellationToken);
        CachedImage committed;
        try
        {
            meter.Report(image.SizeBytes, force: true);
            committed = await cache.CommitAsync(image.Name, image.FullSum, cancellationToken); // the full sum, over the whole file
        }
        catch (Exception) when (seeding)
        {
            await rpc.RemoveAsync(gid, CancellationToken.None); // a copy that is not the repository's is not shared
            throw;
        }
        File.Delete(control);
        var from = resumedFrom ?? 0;
        if (seeding) client.Seeding(image.Name, gid);
        else if (!leecher) await SeedAsync(rpc, image.Name, torrent.Bytes, cache, cancellationToken);
        return new CacheUpdateResult(committed, from, image.SizeBytes - from, meter.Elapsed, attempt.EarlierBytes, attempt.EarlierDuration, attempt.Attempt);
    }

    /// <summary>Seeder mode: the cached copy was just verified (full MD5); aria2 seeds it while the job runs and for the seed time after.</summary>
    public async Task SeedCachedAsync(TransferRequest request, ImageCache cache, CancellationToken cancellationToken)
    {
        await client.StopSeedingAsync(cancellationToken);
        var torrent = await TorrentOfAsync(request, cancellationToken);
        await SeedAsync(await client.RpcAsync(cancellationToken), request.Image.Name, torrent.Bytes, cache, cancellationToken);
    }

    private async Task SeedAsync(Aria2Rpc rpc, string name, byte[] torrent, ImageCache cache, CancellationToken cancellationToken)
    {
        var gid = await rpc.AddTorrentAsync(torrent, new Dictionary<string, string>
        {
            ["dir"] = cache.Directory,             // the torrent's name is NAME.img: the committed copy itself
            ["bt-seed-unverified"] = "true",       // its full MD5 was checked a moment ago
            ["check-integrity"] = "false",
            ["seed-ratio"] = "0.0",
            ["auto-save-interval"] = "0",
        }, cancellationToken);
        client.Seeding(name, gid);
    }

    /// <summary>Restoring a torrent straight onto a partition is not done (as in OpenGnsys); the cache check never asks it.</summary>
    public Task<RestoreResult> RestoreDirectAsync(TransferRequest request, string targetPartition,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken) =>
        throw new PipelineRefusedException("A torrent is always downloaded into the cache; a direct restore goes by unicast.");

    /// <summary>The peers aria2 was connected to at the last look (the job's progress shows it).</summary>
    public int Peers { get; private set; }

    private static async Task<(TorrentMetainfo Meta, byte[] Bytes)> TorrentOfAsync(TransferRequest request, CancellationToken cancellationToken)
    {
        var image = request.Image;
        byte[] bytes;
        try { bytes = await request.Repository.GetSidecarAsync(image.Name, SidecarWriter.TorrentExtension, cancellationToken); }
        catch (HttpRequestException e)
        {
            throw new RepositoryException($"Repository {request.Repository.Repository} did not give the torrent of {image.Name}: {e.Message.TrimEnd('.')}.");
        }
        TorrentMetainfo meta;
        try { meta = TorrentMetainfo.Parse(bytes); }
        catch (Imaging.Bencode.BencodeFormatException e) { throw new RepositoryException($"The torrent of {image.Name} is not valid: {e.Message}"); }
        if (!meta.Private) throw new RepositoryException($"The torrent of {image.Name} is not private; it is refused.");
        if (meta.Length != image.SizeBytes || !string.Equals(meta.Comment, image.FullSum, StringComparison.OrdinalIgnoreCase))
            throw new RepositoryException($"The torrent of {image.Name} is not of the repository's current version; try again when the repository has incorporated it.");
        return (meta, bytes);
    }
}
