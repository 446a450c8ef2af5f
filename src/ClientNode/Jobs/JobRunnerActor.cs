using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.Event;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Jobs;

/// <summary>
/// A computer's job runner: takes <see cref="RunJob"/>s from sessions and runs them one at a time, each in a
/// <see cref="JobActor"/> child; answers the session with <see cref="JobAccepted"/> / <see cref="JobQueued"/>,
/// <see cref="JobStarted"/>, <see cref="JobProgress"/> and <see cref="JobFinished"/>, the last sent again every
/// <see cref="JobRunnerSettings.ResendInterval"/> until <see cref="JobFinishedAck"/>.
/// <para>Idempotent: a RunJob for a job it knows (the session resending) makes it report where that job is, never run
/// it twice. A computer killed mid-job forgets its jobs; the session sends the RunJob again when it comes back and the
/// job runs again — a cache update resumes from the partial copy in the cache (HTTP Range), so nothing fetched is lost.</para>
/// <code>
/// per job:  queued ──▶ running (JobActor child) ──▶ finished (resending) ──JobFinishedAck──▶ acknowledged
/// </code>
/// </summary>
public sealed class JobRunnerActor : ReceiveActor, IWithTimers
{
    /// <summary>
    /// The job kinds this runner can run (see <see cref="JobKinds.Of"/>), for <see cref="AgentAvailable"/>: the multicast
    /// kinds only when <c>udp-receiver</c> is on this computer's PATH.
    /// </summary>
    public static readonly IReadOnlyList<string> SupportedJobKinds = KindsWith(Transfers.MulticastReceiver.Available, Transfers.Torrent.TorrentClient.Available);

    /// <param name="aria2">Torrent kinds too (aria2c on PATH); multicast ones need <paramref name="udpcast"/>.</param>
    public static IReadOnlyList<string> KindsWith(bool udpcast, bool aria2 = false) =>
        [.. JobKinds.ThisRelease.Where(kind => (udpcast || !JobKinds.Multicast.Contains(kind)) && (aria2 || !JobKinds.Torrent.Contains(kind)))];

    /// <summary>Asks where the runner's jobs are; answered with <see cref="Jobs"/> (for tests and the agent's inventory).</summary>
    public sealed record GetJobs : INoSerializationVerificationNeeded;

    public sealed record Jobs(string? Running, IReadOnlyList<string> Queued, IReadOnlyList<JobFinished> Finished) : INoSerializationVerificationNeeded;

    /// <summary>Published on the node's EventStream after each job ends (the agent subscribes to re-send its inventory then).</summary>
    public sealed record JobEnded(JobFinished Finished) : INoSerializationVerificationNeeded;

    private sealed record Resend(string SessionId) : INoSerializationVerificationNeeded;

    private sealed record Announce : INoSerializationVerificationNeeded;

    private enum Phase { Queued, Running, Finished, Acknowledged }

    private sealed class Job(RunJob run)
    {
        public RunJob Run { get; set; } = run;
        public Phase Phase { get; set; } = Phase.Queued;
        public JobStarted? Started { get; set; }
        public JobProgress? Progress { get; set; }
        public JobFinished? Finished { get; set; }
        public IActorRef Worker { get; set; } = ActorRefs.Nobody;
        public bool Cancelling { get; set; }
    }

    private const int FinishedJobsKept = 200;

    private readonly JobRunnerSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, Job> _jobs = new();
    private readonly Queue<string> _queue = new();
    private readonly Queue<string> _ended = new();
    private Job? _running;
    private readonly CoordinatorAuthority _authority = new();

    public JobRunnerActor(JobRunnerSettings settings)
    {
        _settings = settings;
        Receive<RunJob>(run => { if (FromCoordinator(run)) Run(run); });
        Receive<JobStarted>(m => FromWorker(m.SessionId, job => { job.Started = m; Tell(job, m); }));
        Receive<JobProgress>(m => FromWorker(m.SessionId, job => { job.Progress = m; Tell(job, m); }));
        Receive<JobFinished>(m => FromWorker(m.SessionId, job => Finished(job, m)));
        Receive<JobFinishedAck>(ack => { if (FromCoordinator(ack)) Acknowledged(ack); });
        Receive<CancelJob>(cancel => { if (FromCoordinator(cancel)) Cancel(cancel); });
        Receive<ContactPoints>(c => _authority.Contacts(c.ContactPointsList));
        Receive<ContactPointAdded>(c => _authority.Added(c.ContactPoint));
        Receive<ContactPointRemoved>(c => _authority.Removed(c.ContactPoint));
        Receive<Resend>(m =>
        {
            if (_jobs.TryGetValue(m.SessionId, out var job) && job is { Phase: Phase.Finished, Finished: { } f }) Tell(job, f);
        });
        Receive<Terminated>(Stopped);
        Receive<Announce>(_ => _settings.ClusterClient?.Tell(new ClusterClient.Publish(JobKinds.AgentsTopic,
            new AgentAvailable(_settings.Computer, Self, SupportedJobKinds))));
        Receive<GetJobs>(_ => Sender.Tell(new Jobs(_running?.Run.SessionId, [.. _queue],
            [.. _jobs.Values.Where(j => j.Finished is not null).Select(j => j.Finished!)])));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(JobRunnerSettings settings) => Akka.Actor.Props.Create(() => new JobRunnerActor(settings));

    /// <summary>
    /// Announces the runner to the job dispatchers (through the ClusterClient, on <see cref="JobKinds.AgentsTopic"/>) now and
    /// periodically: a coordinator that restarted, or a computer that came back, is known again within one interval; a
    /// dispatcher that has a job running for this computer sends it again, and the runner reports where it is.
    /// </summary>
    /// <summary>The node stops: the computer's aria2c (and every seed it runs) ends with it.</summary>
    protected override void PostStop() => (_settings.TransferFor(TransferMethod.Torrent) as Transfers.Torrent.TorrentTransfer)?.Client.Dispose();

    protected override void PreStart()
    {
        if (_settings.Orders is { } orders)
            _log.Info("Computer {0} obeys only job orders signed by a coordinator: a server certificate of the site CA '{1}' (clock skew allowed: {2})",
                _settings.Computer, orders.SiteCa.Subject, orders.ClockSkew);
        else
            _log.Warning("Computer {0} obeys UNSIGNED job orders from its coordinators' addresses: og.tls.enabled is off (tests only; " +
                         "a production computer runs with TLS on and obeys only orders signed by a coordinator)", _settings.Computer);
        // Who the coordinators are: the seed nodes' receptionists, then the ClusterClient's (see CoordinatorAuthority).
        _authority.Seed(_settings.CoordinatorContacts);
        (_settings.Coordinators ?? _settings.ClusterClient)?.Tell(SubscribeContactPoints.Instance);
        if (_settings.ClusterClient is null) return;
        Self.Tell(new Announce());
        Timers.StartPeriodicTimer("announce", new Announce(), _settings.AnnounceInterval);
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>
    /// Job orders (RunJob, CancelJob, JobFinishedAck) are taken only from coordinators: the sender must be one (see
    /// <see cref="CoordinatorAuthority"/>), and with TLS on the order must carry a valid coordinator's signature for this
    /// computer (see <see cref="OgActors.Hosting.Tls.JobOrderVerifier"/>). Anything else is logged, one line with why, and
    /// dropped unanswered.
    /// </summary>
    private bool FromCoordinator(IJobOrder message)
    {
        var why = _authority.Refusal(Sender, Context.System)
                  ?? _settings.Orders?.Refusal(message, _settings.Computer, DateTimeOffset.UtcNow);
        if (why is null) return true;
        _log.Warning("Refused {0} of session {1} for {2} from {3}: {4}", message.GetType().Name, message.SessionId, message.Computer,
            Sender.Path.Address, why);
        return false;
    }

    private void Run(RunJob run)
    {
        if (_jobs.TryGetValue(run.SessionId, out var known))
        {
            known.Run = run with { Spec = known.Run.Spec }; // the session may answer from elsewhere now; the job stays the same
            Report(known);
            return;
        }
        var job = new Job(run);
        if (run.Computer != _settings.Computer)
        {
            _jobs[run.SessionId] = job;
            Finished(job, new JobFinished(run.SessionId, run.Computer, JobOutcome.Failed, "", "",
                0, TimeSpan.Zero, $"This agent is computer {_settings.Computer}, not {run.Computer}."));
            return;
        }
        _jobs[run.SessionId] = job;
        if (_running is not null)
        {
            _queue.Enqueue(run.SessionId);
            Tell(job, new JobQueued(run.SessionId, run.Computer, $"Computer {_settings.Computer} is busy with session {_running.Run.SessionId}."));
            return;
        }
        StartJob(job);
    }

    private void StartJob(Job job)
    {
        _running = job;
        job.Phase = Phase.Running;
        Tell(job, new JobAccepted(job.Run.SessionId, job.Run.Computer));
        job.Worker = Context.ActorOf(WorkerProps(job.Run), $"job-{Uri.EscapeDataString(job.Run.SessionId)}");
        Context.Watch(job.Worker);
        _log.Info("Job {0} of session {1} started: {2} {3} partition {4}", job.Run.Spec.Kind, job.Run.SessionId, job.Run.Spec.Image,
            job.Run.Spec.Method, job.Run.Spec.Partition);
    }

    /// <summary>The actor that runs a job: remote cloning's master and receivers have their own; every other kind is a <see cref="JobActor"/>.</summary>
    private Props WorkerProps(RunJob run) => run.Spec switch
    {
        { Kind: SessionKind.CloneRemote, Role: JobRole.Master } => Master.MasterClientActor.Props(run, _settings),
        { Kind: SessionKind.CloneRemote } => Master.CloneReceiverActor.Props(run, _settings),
        _ => JobActor.Props(run, _settings),
    };

    /// <summary>Where a known job is, told again (the session resent its RunJob).</summary>
    private void Report(Job job)
    {
        switch (job.Phase)
        {
            case Phase.Queued:
                Tell(job, new JobQueued(job.Run.SessionId, job.Run.Computer, $"Computer {_settings.Computer} is busy with session {_running?.Run.SessionId}."));
                break;
            case Phase.Running:
                Tell(job, new JobAccepted(job.Run.SessionId, job.Run.Computer));
                if (job.Started is { } started) Tell(job, started);
                if (job.Progress is { } progress) Tell(job, progress);
                break;
            default:
                Tell(job, job.Finished!);
                break;
        }
    }

    private void FromWorker(string sessionId, Action<Job> handle)
    {
        if (_jobs.TryGetValue(sessionId, out var job) && job.Phase == Phase.Running && Sender.Equals(job.Worker)) handle(job);
    }

    private void Finished(Job job, JobFinished finished)
    {
        job.Finished = finished;
        job.Phase = Phase.Finished;
        Tell(job, finished);
        Timers.StartPeriodicTimer(TimerKey(job), new Resend(job.Run.SessionId), _settings.ResendInterval);
        _log.Info("Job of session {0} {1} ({2}): {3}", finished.SessionId, finished.Outcome, finished.Path,
            finished.Error.Length > 0 ? finished.Error : finished.Reason);
        var spec = job.Run.Spec;
        if (spec.Kind is SessionKind.Restore or SessionKind.DeployImage or SessionKind.CloneRemote && spec.Role != JobRole.Master)
        {
            if (finished.Outcome == JobOutcome.Succeeded)
                _settings.Ledger?.Record(spec.Partition, spec is { Kind: SessionKind.CloneRemote, Source.Kind: CloneSourceKind.Partition } ? $"clone of {spec.Master} partition {spec.Source.Partition}" : spec.Image, finished.Restored is { Revision: > 0 } r ? r.Revision : spec.ImageRevision, DateTimeOffset.UtcNow);
            else if (finished.Restored is { PartitionWritten: true })
                _settings.Ledger?.RecordDamaged(spec.Partition, $"The restore of {spec.Image} failed after writing began: {finished.Error}", DateTimeOffset.UtcNow);
        }
        Context.System.EventStream.Publish(new JobEnded(finished));
        Forget();
        if (_running == job)
        {
            _running = null;
            Context.Unwatch(job.Worker);
            NextJob();
        }
    }

    private void Acknowledged(JobFinishedAck ack)
    {
        if (!_jobs.TryGetValue(ack.SessionId, out var job) || job.Phase != Phase.Finished) return;
        job.Phase = Phase.Acknowledged;
        Timers.Cancel(TimerKey(job));
    }

    /// <summary>
    /// The session was cancelled: a queued job is dropped; a running one's worker is stopped, which cancels its work (the
    /// pipelines kill the tools' whole process tree; a cache download's <c>.part</c> stays for a Range resume). Either way
    /// the job finishes <see cref="JobOutcome.Cancelled"/>.
    /// </summary>
    private void Cancel(CancelJob cancel)
    {
        if (!_jobs.TryGetValue(cancel.SessionId, out var job)) return;
        if (job.Phase == Phase.Queued)
        {
            Finished(job, Cancelled(job));
            return;
        }
        if (job.Phase != Phase.Running || job.Cancelling) return;
        job.Cancelling = true;
        _log.Info("Job of session {0} cancelled: stopping its tools", cancel.SessionId);
        Context.Stop(job.Worker); // Terminated → Stopped → finished cancelled
    }

    private static JobFinished Cancelled(Job job) => new(job.Run.SessionId, job.Run.Computer, JobOutcome.Cancelled, job.Started?.Path ?? "",
        job.Started?.Reason ?? "", job.Progress?.Bytes ?? 0, TimeSpan.Zero, "The job was cancelled.");

    /// <summary>A worker that stopped without finishing (it crashed, or was cancelled).</summary>
    private void Stopped(Terminated terminated)
    {
        if (_running is not { } job || !job.Worker.Equals(terminated.ActorRef)) return;
        if (job.Cancelling) { Finished(job, Cancelled(job)); return; }
        Finished(job, new JobFinished(job.Run.SessionId, job.Run.Computer, JobOutcome.Failed, job.Started?.Path ?? "",
            job.Started?.Reason ?? "", 0, TimeSpan.Zero, "The job stopped unexpectedly on the computer."));
    }

    private void NextJob()
    {
        while (_queue.TryDequeue(out var next))
            if (_jobs.TryGetValue(next, out var job) && job.Phase == Phase.Queued) { StartJob(job); return; }
    }

    /// <summary>Keeps the last finished jobs (so a late resend of their RunJob is answered), not all of them forever.</summary>
    private void Forget()
    {
        foreach (var (id, job) in _jobs)
            if (job.Phase == Phase.Acknowledged && !_ended.Contains(id)) _ended.Enqueue(id);
        while (_ended.Count > FinishedJobsKept && _ended.TryDequeue(out var old)) _jobs.Remove(old);
    }

    private void Tell(Job job, IJobMessage message) => job.Run.ReplyTo.Tell(message, Self);

    private static string TimerKey(Job job) => "resend-" + job.Run.SessionId;
}
