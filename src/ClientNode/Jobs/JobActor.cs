using System.Diagnostics;
using Akka.Actor;
using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Transfers;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Progress;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Jobs;

/// <summary>
/// One job on one computer, a child of the <see cref="JobRunnerActor"/>. It tells its parent the protocol records to pass
/// on: <see cref="JobStarted"/> (path and reason), <see cref="JobProgress"/>, and one <see cref="JobFinished"/>; then stops.
/// <code>
/// Restore / DeployImage / UpdateCache:  checking cache ──Checked──▶ working (path chosen) ──▶ finished
/// CreateImage:                          working (capture → upload) ──▶ finished
/// </code>
/// Stopping it cancels the work (the tools are killed; a partial cache copy stays for the next attempt to resume).
/// </summary>
public sealed class JobActor : ReceiveActor
{
    private sealed record Progressed(TransferProgress Progress) : INoSerializationVerificationNeeded;
    /// <param name="Earlier">What this job's earlier attempts at a resumed download fetched and took (added to this attempt's).</param>
    private sealed record WorkDone(long Bytes, string Note, RestoredContent? Restored = null, Resumed? Earlier = null) : INoSerializationVerificationNeeded;
    private sealed record Resumed(long From, long Bytes, TimeSpan Duration, int Attempt);
    private sealed record WorkFailed(Exception Cause) : INoSerializationVerificationNeeded;

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
        Receive<CacheCheckActor.Failed>(failed => Finish(JobOutcome.Failed, 0, failed.Reason));
        Receive<Progressed>(p => Context.Parent.Tell(new JobProgress(_job.SessionId, _job.Computer, p.Progress.Bytes,
            p.Progress.TotalBytes ?? 0, p.Progress.BytesPerSecond, p.Progress.Eta)));
        Receive<WorkDone>(done =>
        {
            if (done.Note.Length > 0) _reason = $"{_reason} {done.Note}";
            Finish(JobOutcome.Succeeded, done.Bytes, "", done.Restored, done.Earlier);
        });
        // A PipelineRefusedException is by definition a refusal before anything was written (e.g. the direct path's size check).
        Receive<WorkFailed>(failure => Finish(JobOutcome.Failed, 0, Sentence(failure.Cause),
            _writing && Unwrap(failure.Cause) is not PipelineRefusedException ? new RestoredContent("", 0, PartitionWritten: true)
            : Spec.Kind == SessionKind.UpdateCache ? null : new RestoredContent("", 0, false)));
    }

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
                Context.ActorOf(CacheCheckActor.Props(_settings.Cache, _repository!, Spec), "cache-check");
                break;
            default:
                Finish(JobOutcome.Failed, 0, $"{Spec.Kind} jobs are not available yet on this computer.");
                break;
        }
    }

    protected override void PostStop() => _cancel.Cancel();

    private string? _device;
    private RepositoryClient? _repository;

    /// <summary>Resolves the partition and the repository; a sentence when the job cannot run here.</summary>
    private string? Prepare()
    {
        if (Spec.Kind != SessionKind.UpdateCache)
        {
            if (!_settings.Partitions.TryGetValue(Spec.Partition, out var device))
                return $"Computer {_settings.Computer} has no partition {Spec.Partition}.";
            _device = device;
        }
        if (_settings.TransferFor(Spec.Method) is null)
            return $"{Spec.Kind} by {Spec.Method.ToString().ToLowerInvariant()} is not available yet on this computer.";
        if (_settings.RepositoryAddress(Spec.Repository) is not { } address)
            return $"Computer {_settings.Computer} does not know where repository {Spec.Repository} is.";
        _repository = new RepositoryClient(_settings.Http, Spec.Repository, address) { Folder = Spec.Folder };
        return null;
    }

    private void Checked(CacheCheckActor.Checked check)
    {
        var decision = check.Decision;
        Start(decision.PathName, decision.Reason);
        if (decision.Path == CachePath.Refused) { Finish(JobOutcome.Failed, 0, decision.Reason); return; }
        var request = new TransferRequest(Spec, check.Image, _repository!, $"{_job.SessionId}/{_job.Computer}");
        var transfer = _settings.TransferFor(Spec.Method)!;
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
                    return new WorkDone(direct.ImageBytes, "", Restored(check.Image.FullSum));
                default: // UpdateCacheOnly, UpdateCacheThenRestore
                    if (decision.Path == CachePath.UpdateCacheThenRestore)
                    {
                        // The target partition's size is checked on the image's head before a byte of it is downloaded.
                        var head = await _repository!.GetHeadAsync(Spec.Image, (int)Math.Min(RestorePipeline.InspectedHeadLength, check.Image.SizeBytes), ct);
                        var format = ImageInspector.InspectHead(head, check.Image.SizeBytes) with { StoredSize = check.Image.SizeBytes };
                        TargetCheck.EnsureFits(format, _device!, Spec.Image);
                    }
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
        var progress = new Progress(p => self.Tell(new Progressed(p)));
        var token = _cancel.Token;
        Task.Run(() => work(progress, token), token).PipeTo(Self, failure: e => new WorkFailed(e));
    }

    /// <summary>Reports the end; a resumed download's bytes and time add up all attempts of this job (<paramref name="earlier"/>).</summary>
    private void Finish(JobOutcome outcome, long bytes, string error, RestoredContent? restored = null, Resumed? earlier = null)
    {
        Context.Parent.Tell(new JobFinished(_job.SessionId, _job.Computer, outcome, _path,
            outcome == JobOutcome.Failed && _reason.Length == 0 ? error : _reason, bytes + (earlier?.Bytes ?? 0),
            _clock.Elapsed + (earlier?.Duration ?? TimeSpan.Zero), outcome == JobOutcome.Failed ? error : "", restored,
            earlier?.From ?? 0, earlier?.Attempt ?? 1));
        Context.Stop(Self);
    }

    private static string Sentence(Exception e) => Unwrap(e) switch
    {
        OperationCanceledException => "The job was cancelled.",
        var cause => cause.Message,
    };

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerException!) : e;

    /// <summary>An IProgress that calls back on the reporting thread (the actor receives a message; no SynchronizationContext needed).</summary>
    private sealed class Progress(Action<TransferProgress> report) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => report(value);
    }
}
