using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.Event;
using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Transfers;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Progress;
using OgActors.Messages.Multicast;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Jobs;

/// <summary>
/// One job on one computer, a child of the <see cref="JobRunnerActor"/>. It tells its parent the protocol records to pass
/// on: <see cref="JobStarted"/> (path and reason), <see cref="JobProgress"/>, and one <see cref="JobFinished"/>; then stops.
/// <code>
/// Restore / DeployImage / UpdateCache:  checking cache ──Checked──▶ working (path chosen) ──▶ finished
/// CreateImage:                          working (capture → upload) ──▶ finished
/// multicast (Restore / DeployImage / UpdateCache with Method = Multicast), after the cache check:
///   checks (partition size on the image's head) ──▶ joining ──MulticastAdmitted──▶ receiving (udp-receiver) ──▶ finished
///                 └─ too small: declines, fails       └──MulticastMissed / receive failed──▶ unicast catch-up ──▶ finished
/// </code>
/// Stopping it cancels the work (the tools are killed; a partial cache copy stays for the next attempt to resume).
/// </summary>
public sealed class JobActor : ReceiveActor, IWithTimers
{
    private sealed record Progressed(TransferProgress Progress) : INoSerializationVerificationNeeded;
    /// <param name="Earlier">What this job's earlier attempts at a resumed download fetched and took (added to this attempt's).</param>
    private sealed record WorkDone(long Bytes, string Note, RestoredContent? Restored = null, Resumed? Earlier = null) : INoSerializationVerificationNeeded;
    private sealed record Resumed(long From, long Bytes, TimeSpan Duration, int Attempt);
    private sealed record WorkFailed(Exception Cause) : INoSerializationVerificationNeeded;
    private sealed record Prechecked(PartitionImageInfo? Format) : INoSerializationVerificationNeeded;
    private sealed record PrecheckFailed(Exception Cause) : INoSerializationVerificationNeeded;
    private sealed record JoinAgain : INoSerializationVerificationNeeded;
    private sealed record Received(int Attempt, WorkDone Done) : INoSerializationVerificationNeeded;
    private sealed record ReceiveFailed(int Attempt, Exception Cause) : INoSerializationVerificationNeeded;

    private readonly RunJob _job;
    private readonly JobRunnerSettings _settings;
    private readonly CancellationTokenSource _cancel = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string _path = "";
    private volatile bool _writing; // set once the restore tool may have written to the partition
    private string _reason = "";

    public JobActor(RunJob job, JobRunnerSettings settings)
    {
        _job = job;
        _settings = settings;
        Receive<CacheCheckActor.Checked>(Checked);
        Receive<CacheCheckActor.Failed>(failed => { Decline(failed.Reason); Finish(JobOutcome.Failed, 0, failed.Reason); });
        Receive<Progressed>(p =>
        {
            Context.Parent.Tell(new JobProgress(_job.SessionId, _job.Computer, p.Progress.Bytes,
                p.Progress.TotalBytes ?? 0, p.Progress.BytesPerSecond, p.Progress.Eta,
                Spec.Method == TransferMethod.Torrent && _settings.TransferFor(TransferMethod.Torrent) is Transfers.Torrent.TorrentTransfer t ? t.Peers : 0));
            ReportStreamProgress(p.Progress);
        });
        Receive<WorkDone>(done =>
        {
            if (done.Note.Length > 0) _reason = $"{_reason} {done.Note}";
            if (_failover?.Policy.Note() is { Length: > 0 } failedOver) _reason = $"{_reason} {failedOver}";
            Finish(JobOutcome.Succeeded, done.Bytes, "", done.Restored, done.Earlier);
        });
        // A PipelineRefusedException is by definition a refusal before anything was written (e.g. the direct path's size check).
        Receive<WorkFailed>(failure => Finish(JobOutcome.Failed, 0, AfterFailovers(JobFailure.Sentence(failure.Cause)),
            _writing && JobFailure.Unwrap(failure.Cause) is not PipelineRefusedException ? new RestoredContent("", 0, PartitionWritten: true)
            : Spec.Kind == SessionKind.UpdateCache ? null : new RestoredContent("", 0, false)));
        Receive<Prechecked>(Join);
        Receive<PrecheckFailed>(failed =>
        {
            var why = JobFailure.Sentence(failed.Cause);
            Decline(why);
            Finish(JobOutcome.Failed, 0, why, Spec.Kind == SessionKind.UpdateCache ? null : new RestoredContent("", 0, PartitionWritten: false));
        });
        Receive<JoinAgain>(_ => SendJoin(""));
        Receive<MulticastAdmitted>(Admitted);
        Receive<MulticastMissed>(missed => { if (missed.SessionId == _job.SessionId) CatchUp(missed.Reason); });
        Receive<Received>(r =>
        {
            if (r.Attempt != _attempt) return;
            _multicastSession?.Tell(new MulticastMemberDone(_job.SessionId, _job.Computer, true, ""));
            _multicastSession = null;
            Self.Tell(r.Done);
        });
        Receive<ReceiveFailed>(failed =>
        {
            if (failed.Attempt != _attempt) return;
            var cause = JobFailure.Unwrap(failed.Cause);
            _multicastSession?.Tell(new MulticastMemberDone(_job.SessionId, _job.Computer, false, JobFailure.Sentence(cause)));
            _multicastSession = null;
            // Not this job's stream, or the job was cancelled: nothing to catch up. Anything else: the image comes by unicast.
            if (cause is MulticastStreamRefusedException or OperationCanceledException or PipelineRefusedException) { Self.Tell(new WorkFailed(cause)); return; }
            CatchUp(JobFailure.Sentence(cause));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RunJob job, JobRunnerSettings settings) => Akka.Actor.Props.Create(() => new JobActor(job, settings));

    private JobSpec Spec => _job.Spec;

    protected override void PreStart()
    {
        if (Prepare() is { } refusal) { Finish(JobOutcome.Failed, 0, refusal); return; }
        switch (Spec.Kind)
        {
            case SessionKind.CreateImage:
                Start($"capture → {Spec.Method.ToString().ToLowerInvariant()} upload",
                    $"Capturing partition {Spec.Partition} into image {Spec.Image} on repository {Spec.Repository}.");
                Run(async (progress, ct) =>
                {
                    var result = await CaptureUpload.CaptureAsync(_device!, Spec.Image, _repository!, Spec.UploadCapability, progress: progress, cancellationToken: ct);
                    return new WorkDone(result.ImageBytes, $"Captured {CachePolicy.Size(result.PartitionBytes)} of {result.Filesystem} into {CachePolicy.Size(result.ImageBytes)}.");
                });
                break;
            case SessionKind.Restore or SessionKind.DeployImage or SessionKind.UpdateCache:
                Context.ActorOf(CacheCheckActor.Props(_settings.Cache, _repository!, Spec, _failover), "cache-check");
                break;
            default:
                Finish(JobOutcome.Failed, 0, $"{Spec.Kind} jobs are not available yet on this computer.");
                break;
        }
    }

    protected override void PostStop()
    {
        _cancel.Cancel();
        _receiver?.Dispose();
        // Cancelled (or the node stops) while in a multicast: the transfer does not wait for this computer any more.
        _multicastSession?.Tell(new MulticastMemberDone(_job.SessionId, _job.Computer, false, $"{_job.Computer}'s job ended."));
    }

    private string? _device;
    private RepositoryClient? _repository;
    private RepositoryFailover? _failover;

    /// <summary>Resolves the partition and the repository; a sentence when the job cannot run here.</summary>
    private string? Prepare()
    {
        if (Spec.Kind != SessionKind.UpdateCache)
        {
            if (!_settings.Partitions.TryGetValue(Spec.Partition, out var device))
                return $"Computer {_settings.Computer} has no partition {Spec.Partition}.";
            _device = device;
        }
        if (Transfer(Spec.Method) is null)
            return $"{Spec.Kind} by {Spec.Method.ToString().ToLowerInvariant()} is not available yet on this computer.";
        if (_settings.RepositoryAddress(Spec.Repository) is not { } address)
            return $"Computer {_settings.Computer} does not know where repository {Spec.Repository} is.";
        _repository = new RepositoryClient(_settings.Http, Spec.Repository, address) { Folder = Spec.Folder };
        if (Spec.Kind is SessionKind.Restore or SessionKind.DeployImage or SessionKind.UpdateCache)
        {
            var log = Context.GetLogger();
            var job = $"{_job.SessionId}/{_job.Computer}";
            _failover = new RepositoryFailover(new FailoverPolicy(Spec.Image, Spec.Repository, Spec.Alternates), _repository, Alternate,
                notice => log.Warning("Job {0}: {1}", job, notice)) { StallTimeout = _settings.StallTimeout };
        }
        return null;
    }

    /// <summary>A failure's sentence, after what the fail-overs that came before it did (the job failed on the alternate).</summary>
    private string AfterFailovers(string error) => _failover?.Policy.Note(finished: false) is { Length: > 0 } before ? $"{before} {error}" : error;

    /// <summary>
    /// How this computer reaches an alternate repository: its own configured address for that name (og.computer.repositories)
    /// first, else the address the repository announced to the coordinator; null when neither is an http(s) address.
    /// </summary>
    private RepositoryClient? Alternate(RepositoryCopy copy) =>
        (_settings.RepositoryAddress(copy.Repository)
         ?? (Uri.TryCreate(copy.HttpAddress, UriKind.Absolute, out var announced) && announced.Scheme is "http" or "https" ? announced : null)) is { } address
            ? new RepositoryClient(_settings.Http, copy.Repository, address) { Folder = copy.Folder }
            : null;

    /// <summary>The transfer path of <paramref name="method"/>: the settings' own, or multicast when udp-receiver is installed.</summary>
    private ITransferPath? Transfer(TransferMethod method) =>
        _settings.TransferFor(method) ?? (method == TransferMethod.Multicast && MulticastReceiver.Available ? new UnicastTransfer() : null);

    private void Checked(CacheCheckActor.Checked check)
    {
        if (_failover is not null) _repository = _failover.Current; // the repository that answered (an alternate, when the job's own could not be reached)
        var decision = check.Decision;
        if (Spec.Method == TransferMethod.Multicast)
        {
            _check = check;
            if (decision.Path is CachePath.DirectUnicast or CachePath.UpdateCacheOnly or CachePath.UpdateCacheThenRestore) { Precheck(check); return; }
            // Nothing to receive (already cached, restored from the cache) or refused: the transfer does not wait for this computer.
            Decline(decision.Reason);
        }
        Start(decision.PathName, decision.Reason);
        if (decision.Path == CachePath.Refused) { Finish(JobOutcome.Failed, 0, decision.Reason); return; }
        Work(decision, check, Spec.Method == TransferMethod.Multicast ? new UnicastTransfer() : _settings.TransferFor(Spec.Method)!);
    }

    /// <summary>The unicast work of a path (also the multicast's catch-up).</summary>
    private void Work(CacheDecision decision, CacheCheckActor.Checked check, ITransferPath transfer)
    {
        var request = new TransferRequest(Spec with { Method = transfer.Method }, check.Image, _repository!, $"{_job.SessionId}/{_job.Computer}")
        {
            Failover = _failover,
        };
        var failover = _failover;
        var cache = _settings.Cache;
        Run(async (progress, ct) =>
        {
            switch (decision.Path)
            {
                case CachePath.AlreadyCached:
                    return new WorkDone(0, "");
                case CachePath.FromCache:
                    // The cache never trusts itself: one read of the cached copy checks its full MD5 before a byte is written.
                    string verified;
                    long fetched = 0;
                    try
                    {
                        var cost = await cache!.VerifyAsync(Spec.Image, check.Image.FullSum, ct);
                        verified = $"Cached copy verified (full MD5, {CachePolicy.Size(check.Image.SizeBytes)} read in {cost.TotalSeconds:0.0#} s).";
                        // Torrent, seeder mode: a computer holding the verified image seeds it to the others.
                        if (transfer is Transfers.Torrent.TorrentTransfer torrent && Spec.P2P.Mode == Messages.Classrooms.P2PMode.Seeder)
                        {
                            await torrent.SeedCachedAsync(request, cache, ct);
                            verified += " Seeding it to the others.";
                        }
                    }
                    catch (CacheVerificationException bad)
                    {
                        var again = await transfer.UpdateCacheAsync(request, cache!, progress, ct); // download it again (verified on commit)
                        fetched = again.BytesFetched;
                        verified = $"{bad.Message} Fetched {CachePolicy.Size(again.BytesFetched)} again; full sum verified.";
                    }
                    _writing = true;
                    await RestorePipeline.RestoreFileAsync(cache.ImagePath(Spec.Image), _device!, progress, ct);
                    return new WorkDone(fetched, verified, Restored(check.Image.FullSum));
                case CachePath.DirectUnicast:
                    _writing = true;
                    var direct = await (_settings.TransferFor(TransferMethod.Unicast) ?? new UnicastTransfer())
                        .RestoreDirectAsync(request with { Spec = Spec with { Method = TransferMethod.Unicast } }, _device!, progress, ct);
                    // what streamed, proven equal to the full sum; the bytes a repository that went away streamed before count too
                    return new WorkDone(direct.ImageBytes + (failover?.Policy.DiscardedBytes ?? 0), "", Restored(direct.StreamedFullSum));
                default: // UpdateCacheOnly, UpdateCacheThenRestore
                    if (decision.Path == CachePath.UpdateCacheThenRestore)
                    {
                        // The target partition's size is checked on the image's head before a byte of it is downloaded.
                        var head = await _repository!.GetHeadAsync(Spec.Image, (int)Math.Min(RestorePipeline.InspectedHeadLength, check.Image.SizeBytes), ct);
                        var format = ImageInspector.InspectHead(head, check.Image.SizeBytes) with { StoredSize = check.Image.SizeBytes };
                        TargetCheck.EnsureFits(format, _device!, Spec.Image);
                    }
                    // A new download needs the cache: what this computer still seeds from an earlier torrent job stops.
                    if (_settings.TransferFor(TransferMethod.Torrent) is Transfers.Torrent.TorrentTransfer seeds) await seeds.Client.StopSeedingAsync(ct);
                    var update = await transfer.UpdateCacheAsync(request, cache!, progress, ct);
                    var note = update.ResumedFrom == 0 ? $"Fetched {CachePolicy.Size(update.BytesFetched)}; full sum verified."
                        : update.Attempt > 1
                            ? $"Resumed at {CachePolicy.Size(update.ResumedFrom)} (attempt {update.Attempt}: {CachePolicy.Size(update.EarlierBytes)} fetched before, {CachePolicy.Size(update.BytesFetched)} now); full sum verified."
                            : $"Resumed at {CachePolicy.Size(update.ResumedFrom)} from a partial copy an earlier session left; fetched {CachePolicy.Size(update.BytesFetched)}; full sum verified.";
                    var earlier = update.ResumedFrom > 0 ? new Resumed(update.ResumedFrom, update.EarlierBytes, update.EarlierDuration, update.Attempt) : null;
                    if (decision.Path != CachePath.UpdateCacheThenRestore) return new WorkDone(update.BytesFetched, note, Earlier: earlier);
                    _writing = true;
                    await RestorePipeline.RestoreFileAsync(update.Image.Path, _device!, progress, ct);
                    return new WorkDone(update.BytesFetched, note, Restored(update.Image.FullSum), earlier);
            }
        });
    }

    // ---- multicast ----------------------------------------------------------------------------------------------------

    private CacheCheckActor.Checked? _check;
    private PartitionImageInfo? _format;
    private IActorRef? _multicastSession;   // the repository's MulticastSessionActor, once it admitted this computer
    private MulticastReceiver? _receiver;
    private CancellationTokenSource? _receiving;
    private int _attempt;
    private bool _joining, _caughtUp;
    private volatile bool _streaming;        // the job reads the multicast stream now (not yet the restore from the cache after it)
    private readonly Stopwatch _sinceStreamReport = new();

    /// <summary>The node's ClusterClient to the coordinators' receptionists (the runner's, or the one the node host registered).</summary>
    private IActorRef? Coordinators =>
        _settings.ClusterClient ?? (Akka.Hosting.ActorRegistry.For(Context.System).TryGet<Hosting.CoordinatorClient>(out var client) ? client : null);

    private const int SmallHead = 320 * 1024;

    private bool RestoresAfter => _check!.Decision.Path is CachePath.DirectUnicast or CachePath.UpdateCacheThenRestore;

    /// <summary>Before joining: a restore checks the target partition's size on the image's head (a Range GET), so a partition too small never joins.</summary>
    private void Precheck(CacheCheckActor.Checked check)
    {
        if (!RestoresAfter) { Self.Tell(new Prechecked(null)); return; }
        var repository = _repository!;
        var (device, image) = (_device!, check.Image);
        Task.Run(async () =>
        {
            // A short head first (its bytes cross the repository's link once per computer, beside the one multicast stream);
            // the full inspected length only for a format whose header does not fit in it.
            PartitionImageInfo format;
            try
            {
                var small = await repository.GetHeadAsync(Spec.Image, (int)Math.Min(SmallHead, image.SizeBytes), _cancel.Token);
                format = ImageInspector.InspectHead(small, image.SizeBytes);
            }
            catch (Exception e) when (e is not OperationCanceledException && image.SizeBytes > SmallHead)
            {
                var head = await repository.GetHeadAsync(Spec.Image, (int)Math.Min(RestorePipeline.InspectedHeadLength, image.SizeBytes), _cancel.Token);
                format = ImageInspector.InspectHead(head, image.SizeBytes);
            }
            format = format with { StoredSize = image.SizeBytes };
            TargetCheck.EnsureFits(format, device, Spec.Image);
            return format;
        }, _cancel.Token).PipeTo(Self, success: f => new Prechecked(f), failure: e => new PrecheckFailed(e));
    }

    private static string MulticastPathName(CachePath path) => path switch
    {
        CachePath.DirectUnicast => "direct multicast",
        CachePath.UpdateCacheOnly => "multicast → cache",
        _ => "multicast → cache → restore",
    };

    private void Join(Prechecked checkedOk)
    {
        _format = checkedOk.Format;
        var decision = _check!.Decision;
        var reason = decision.Path == CachePath.DirectUnicast
            ? decision.Reason.Replace("directly from the repository by unicast", "directly from the multicast stream", StringComparison.Ordinal)
            : decision.Reason;
        Start(MulticastPathName(decision.Path), reason);
        if (Coordinators is null) { CatchUp("This computer has no ClusterClient to reach the repository's multicast sender."); return; }
        _joining = true;
        SendJoin("");
        Timers.StartPeriodicTimer("join", new JoinAgain(), TimeSpan.FromSeconds(2));
    }

    private void SendJoin(string declined)
    {
        if (declined.Length == 0 && !_joining) return;
        var image = _check?.Image;
        Coordinators?.Tell(new ClusterClient.Send(MulticastPaths.Manager(Spec.Repository),
            new JoinMulticast(_job.SessionId, _job.Computer, Spec.Classroom, Spec.Image, Spec.Folder, Spec.ImageRevision, image?.FullSum ?? "",
                image?.SizeBytes ?? 0, Spec.Multicast, Spec.ClassroomComputers, Self, _job.ReplyTo, declined)));
    }

    /// <summary>This computer will not join (nothing to receive, or it cannot take the image): the transfer must not wait for it.</summary>
    private void Decline(string reason)
    {
        if (Spec.Method == TransferMethod.Multicast) SendJoin(reason.Length > 0 ? reason : "declined");
    }

    private void Admitted(MulticastAdmitted admitted)
    {
        if (admitted.SessionId != _job.SessionId || !_joining) return;
        _joining = false;
        Timers.Cancel("join");
        _multicastSession = Sender;
        var check = _check!;
        var request = new MulticastReceiveRequest(admitted.Group, admitted.Port, admitted.StartTimeoutSeconds,
            new MulticastStreamHeader(_job.SessionId, Spec.Image, Spec.ImageRevision, check.Image.FullSum, check.Image.SizeBytes));
        try { _receiver = MulticastReceiver.Start(request); }
        catch (Exception e) { Self.Tell(new ReceiveFailed(_attempt, e)); return; }
        Sender.Tell(new MulticastReceiverReady(_job.SessionId, _job.Computer));
        _streaming = true;

        var attempt = _attempt;
        var receiver = _receiver;
        var cache = _settings.Cache;
        var (path, device, format) = (check.Decision.Path, _device, _format);
        _receiving = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
        var token = _receiving.Token;
        var self = Self;
        var progress = new CallbackProgress(p => self.Tell(new Progressed(p)));
        var note = $"Received by multicast on {admitted.Group}:{admitted.Port}; full sum verified.";
        Task.Run(async () =>
        {
            if (path == CachePath.DirectUnicast)
            {
                var restored = await receiver.RestoreAsync(format!, device!, () => _writing = true, progress, token);
                return new WorkDone(restored.ImageBytes, note, Restored(check.Image.FullSum));
            }
            var update = await receiver.IntoCacheAsync(cache!, check.Image, progress, token);
            _streaming = false; // what follows is the restore from the cache: no longer the stream's progress
            if (path == CachePath.UpdateCacheOnly) return new WorkDone(update.BytesFetched, note);
            _writing = true;
            await RestorePipeline.RestoreFileAsync(update.Image.Path, device!, progress, token);
            return new WorkDone(update.BytesFetched, note, Restored(update.Image.FullSum));
        }, token).PipeTo(Self, success: done => new Received(attempt, done), failure: e => new ReceiveFailed(attempt, e));
    }

    /// <summary>The multicast will not (or did not) bring the image: the same path by unicast, and the outcome says why.</summary>
    private void CatchUp(string why)
    {
        if (_caughtUp || _check is null) return;
        _caughtUp = true;
        _joining = false;
        Timers.Cancel("join");
        _attempt++;
        _streaming = false;
        _receiving?.Cancel();
        _receiver?.Dispose();
        _receiver = null;
        _multicastSession?.Tell(new MulticastMemberDone(_job.SessionId, _job.Computer, false, why));
        _multicastSession = null;
        _path = $"{MulticastPathName(_check.Decision.Path)} → unicast catch-up";
        _reason = $"{_reason} Unicast catch-up: {why.TrimEnd('.')}.";
        Context.Parent.Tell(new JobStarted(_job.SessionId, _job.Computer, _path, _reason));
        Work(_check.Decision, _check, new UnicastTransfer());
    }

    /// <summary>
    /// About every second while the stream is read: tells the multicast session how far this computer is, so it can drop
    /// this computer if it holds the class back (it is then told <see cref="MulticastMissed"/> and catches up by unicast).
    /// </summary>
    private void ReportStreamProgress(TransferProgress progress)
    {
        if (!_streaming || _multicastSession is null) return;
        if (_sinceStreamReport.IsRunning && _sinceStreamReport.Elapsed < TimeSpan.FromSeconds(1) && progress.Bytes < (progress.TotalBytes ?? long.MaxValue)) return;
        _sinceStreamReport.Restart();
        _multicastSession.Tell(new MulticastReceiverProgress(_job.SessionId, _job.Computer, progress.Bytes, progress.TotalBytes ?? 0, progress.BytesPerSecond));
    }

    /// <summary>What was restored: the full MD5 of the image bytes (the revision is the coordinator's to map, or the spec's when it is that content).</summary>
    private static RestoredContent Restored(string fullSum) => new(fullSum.ToLowerInvariant(), 0, PartitionWritten: true);

    private void Start(string path, string reason)
    {
        _path = path;
        _reason = reason;
        Context.Parent.Tell(new JobStarted(_job.SessionId, _job.Computer, path, reason));
    }

    private void Run(Func<IProgress<TransferProgress>, CancellationToken, Task<WorkDone>> work)
    {
        var self = Self;
        var progress = new CallbackProgress(p => self.Tell(new Progressed(p)));
        var token = _cancel.Token;
        Task.Run(() => work(progress, token), token).PipeTo(Self, failure: e => new WorkFailed(e));
    }

    /// <summary>Reports the end; a resumed download's bytes and time add up all attempts of this job (<paramref name="earlier"/>).</summary>
    private void Finish(JobOutcome outcome, long bytes, string error, RestoredContent? restored = null, Resumed? earlier = null)
    {
        // Torrent: the job is finished when the restore is; its seed goes on in the background for the seed time (leecher: none).
        if (Spec.Method == TransferMethod.Torrent && _settings.TransferFor(TransferMethod.Torrent) is Transfers.Torrent.TorrentTransfer seeding)
            seeding.Client.SeedFor(Spec.Image, outcome == JobOutcome.Succeeded && Spec.P2P.Mode != Messages.Classrooms.P2PMode.Leecher ? Spec.P2P.SeedSeconds : 0);
        Context.Parent.Tell(new JobFinished(_job.SessionId, _job.Computer, outcome, _path,
            outcome == JobOutcome.Failed && _reason.Length == 0 ? error : _reason, bytes + (earlier?.Bytes ?? 0),
            _clock.Elapsed + (earlier?.Duration ?? TimeSpan.Zero), outcome == JobOutcome.Failed ? error : "", restored,
            earlier?.From ?? 0, earlier?.Attempt ?? 1));
        Context.Stop(Self);
    }
}
