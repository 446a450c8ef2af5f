using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using OgActors.Coordinator.Domain;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Sessions;

/// <summary>
/// One operator command carried out over its computers, event-sourced (persistence id <c>session-ID</c>) and
/// sharded with remember-entities, so a coordinator restart brings it back: on recovery every unfinished job is
/// sent again and agents answer where they are. Persisted: created, job started (path, reason), job finished
/// (outcome, bytes, duration, error), session finished. Live only: acknowledgements, progress, waiting reasons.
/// </summary>
public sealed class DeploymentSessionActor : ReceivePersistentActor, IWithTimers
{
    private sealed record ResendTick : INoSerializationVerificationNeeded;
    private sealed record ResumeWork : INoSerializationVerificationNeeded;
    private sealed record AbortClone(string Reason) : INoSerializationVerificationNeeded;

    private readonly string _id;
    private readonly IActorRef _dispatcher;
    private readonly IActorRef _classrooms;
    private readonly IActorRef _replyTo;
    private readonly SessionSettings _settings;
    private SessionState? _state;

    // Jobs the dispatcher or the computer has acknowledged since this incarnation started (never persisted:
    // after a restart nothing is acknowledged, so everything unfinished is sent again).
    private readonly HashSet<string> _acknowledged = new(StringComparer.OrdinalIgnoreCase);
    // Job events written but not applied yet (PersistAsync), so resent reports are not persisted twice.
    private readonly HashSet<string> _starting = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _finishing = new(StringComparer.OrdinalIgnoreCase);
    private bool _concluding;

    /// <summary>A job report whose sender was checked against the registry's agent of its computer.</summary>
    private sealed record Verified(IJobMessage Report, IActorRef From, Address? Agent) : INoSerializationVerificationNeeded;

    // The registered agent's address of each computer, as the registry last said (live only).
    private readonly Dictionary<string, Address> _agentOf = new(StringComparer.OrdinalIgnoreCase);

    public DeploymentSessionActor(string id, IActorRef dispatcher, IActorRef classrooms, IActorRef replyTo, SessionSettings settings)
    {
        _id = id; _dispatcher = dispatcher; _classrooms = classrooms; _replyTo = replyTo; _settings = settings;

        Recover<SessionCreated>(e => _state = SessionState.Create(e));
        Recover<ISessionEvent>(e => _state?.Apply(e));
        Recover<RecoveryCompleted>(_ =>
        {
            if (_state is null) return;
            // After a restart no computer has answered yet: until it does, its job waits (and obeys the offline limit).
            foreach (var job in _state.Jobs.Where(j => !SessionState.IsEnded(j.Status)).ToList())
                _state.Offline(job.Computer, $"{job.Computer} has not answered since the coordinator restarted", DateTimeOffset.UtcNow);
            Self.Tell(new ResumeWork());
        });

        Command<StartSession>(Start);
        Command<GetSession>(_ => { if (Exists()) Sender.Tell(_state!.View()); });
        Command<CancelSession>(Cancel);
        Command<JobAccepted>(m => { if (FromItsComputer(m) && Exists()) { _acknowledged.Add(m.Computer); _state!.Heard(m.Computer); } });
        Command<JobQueued>(m => { if (FromItsComputer(m) && Exists()) Queued(m); });
        Command<JobStarted>(m => { if (FromItsComputer(m) && Exists()) Started(m); });
        Command<JobProgress>(m => { if (FromItsComputer(m) && Exists()) { _acknowledged.Add(m.Computer); _state!.Heard(m.Computer); _state.Progress(m); } });
        Command<JobFinished>(m =>
        {
            if (!FromItsComputer(m)) return;
            Sender.Tell(Signed(new JobFinishedAck(_id, m.Computer), JobOrderAudience.Computer));
            if (Exists()) Finished(m);
        });
        Command<Verified>(v =>
        {
            if (v.Agent is { } agent) _agentOf[v.Report.Computer] = agent;
            if (JobReportSenders.Judge(v.From, IsClusterMember, v.Agent) == JobReportSenders.Verdict.Trusted) Self.Tell(v.Report, v.From);
            else RefuseReport(v.Report, v.From, v.Agent);
        });
        Command<OgActors.Messages.Multicast.MulticastStatus>(m => { if (_state is not null) _state.Multicast(m); });
        Command<OgActors.Messages.Clone.CloneOffer>(m => { if (_state is not null) Offered(m); });
        Command<OgActors.Messages.Clone.CloneJoinRequest>(m => { if (_state is not null) JoinRequested(m); });
        Command<AbortClone>(m => { if (_state is not null) AbortReceivers(m.Reason); });
        Command<ResendTick>(_ => { SendUnacknowledged(); EndOffline(); });
        Command<ResumeWork>(_ => Resume());
        Command<JobDispatcherStarted>(_ => Redispatch());
        Command<SubscribeAck>(_ => { });
        Command<IReply>(_ => { }); // classrooms' answers to RecordPartitionImage
        Command<ReceiveTimeout>(_ => Context.Parent.Tell(new Passivate(PoisonPill.Instance)));
    }

    public ITimerScheduler Timers { get; set; } = null!;
    public override string PersistenceId => PersistenceIds.Session(_id);

    public static Props Props(string id, IActorRef dispatcher, IActorRef classrooms, IActorRef replyTo, SessionSettings settings) =>
        Akka.Actor.Props.Create(() => new DeploymentSessionActor(id, dispatcher, classrooms, replyTo, settings));

    /// <summary>
    /// A job report is taken only from the computer's registered agent's node or the coordinators' side
    /// (<see cref="JobReportSenders"/>); one from elsewhere is logged and dropped, and the real job goes on.
    /// </summary>
    private bool FromItsComputer(IJobMessage report)
    {
        if (_settings.RegisteredAgent is not { } lookup) return true;
        var verdict = JobReportSenders.Judge(Sender, IsClusterMember, _agentOf.GetValueOrDefault(report.Computer));
        if (verdict == JobReportSenders.Verdict.Trusted) return true;
        if (verdict == JobReportSenders.Verdict.Refused && _agentOf.ContainsKey(report.Computer))
        {
            // the cached agent may be stale (the computer re-registered from a new port): ask once more before refusing
            _agentOf.Remove(report.Computer);
        }
        else if (verdict == JobReportSenders.Verdict.Refused) { RefuseReport(report, Sender, null); return false; }
        var from = Sender;
        lookup(report.Computer).WaitAsync(TimeSpan.FromSeconds(10))
            .PipeTo(Self, success: agent => new Verified(report, from, agent?.Path.Address), failure: _ => new Verified(report, from, null));
        return false;
    }

    /// <summary>
    /// An order for a computer, signed by this coordinator when og.tls is on (see <see cref="SessionSettings.Orders"/>): the
    /// RunJob and CancelJob the session hands the dispatcher (which takes only signed ones, and signs them again as it sends
    /// them), the ReleaseComputer that frees the computer in the dispatcher, the JobFinishedAck it answers the computer with.
    /// </summary>
    private T Signed<T>(T order, JobOrderAudience audience = JobOrderAudience.Dispatcher) where T : IJobOrder =>
        _settings.Orders is { } signer ? signer.Seal(order, audience: audience) : order;

    private void RefuseReport(IJobMessage report, IActorRef from, Address? agent) =>
        Context.GetLogger().Warning("Session {0}: refused {1} for {2} from {3}: {4}", _id, report.GetType().Name, report.Computer, from.Path,
            agent is null ? $"{report.Computer} has no registered agent" : $"{report.Computer}'s registered agent is at {agent}");

    private bool IsClusterMember(Address address) =>
        Akka.Cluster.Cluster.Get(Context.System).State.Members.Any(m => m.Address.Equals(address));

    private void Start(StartSession cmd)
    {
        if (_state is not null) { Sender.Tell(new Refused($"Session {_id} already exists.")); return; }
        if (cmd.Plan.Targets.Count == 0) { Sender.Tell(new Refused("A session needs at least one computer.")); PassivateSoon(); return; }
        var replyTo = Sender;
        Persist(new SessionCreated(_id, cmd.Plan, cmd.By, DateTimeOffset.UtcNow), e =>
        {
            _state = SessionState.Create(e);
            replyTo.Tell(new Accepted(_id));
            Self.Tell(new ResumeWork()); // never persist from inside a persist handler
        });
    }

    /// <summary>After creation or recovery: fail what this release cannot run, send the rest, keep resending.</summary>
    private void Resume()
    {
        if (_state!.Outcome is not null) { PassivateSoon(); return; }
        foreach (var job in _state.Jobs.Where(j => !SessionState.IsEnded(j.Status)).ToList())
        {
            var kind = JobKinds.Of(_state.Plan.Kind, _state.Plan.Method);
            if (!_settings.AvailableJobKinds.Contains(kind))
                Finished(new JobFinished(_id, job.Computer, JobOutcome.Failed, "", "not available yet", 0, TimeSpan.Zero,
                    $"{Describe(_state.Plan.Kind, _state.Plan.Method)} is not available yet in this release."));
        }
        SendUnacknowledged();
        Timers.StartPeriodicTimer("resend", new ResendTick(), _settings.ResendInterval);
        ConcludeIfDone();
    }

    /// <summary>
    /// Several coordinators: the job dispatcher is a cluster singleton; hearing that one (re)started (e.g. on another
    /// coordinator after its own went away), the session sends every unfinished job again, as after its own recovery.
    /// </summary>
    protected override void PreStart()
    {
        base.PreStart();
        if (Context.System is ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider })
            DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(JobKinds.DispatcherTopic, Self));
    }

    private void Redispatch()
    {
        if (_state is null || _state.Outcome is not null) return;
        _acknowledged.Clear();
        SendUnacknowledged();
    }

    private void SendUnacknowledged()
    {
        if (_state is null || _state.Outcome is not null) return;
        foreach (var target in _state.Plan.Targets)
        {
            var job = _state.Job(target.Computer)!;
            if (SessionState.IsEnded(job.Status) || _acknowledged.Contains(target.Computer) || _finishing.Contains(target.Computer)) continue;
            var spec = _settings.Uploads?.Attach(_id, target, _state.SpecFor(target), DateTimeOffset.UtcNow) ?? _state.SpecFor(target);
            _dispatcher.Tell(new DispatchJob(Signed(new RunJob(_id, target.Computer, spec, _replyTo))));
        }
    }

    private void Queued(JobQueued m)
    {
        _acknowledged.Add(m.Computer);
        if (m.Offline) _state!.Offline(m.Computer, m.Reason, DateTimeOffset.UtcNow);
        else _state!.Heard(m.Computer);
        if (m.Offline && IsMaster(m.Computer) && _state.Job(m.Computer) is { Status: JobStatus.Running })
            Self.Tell(new AbortClone($"The master {m.Computer} went offline during the session ({m.Reason.TrimEnd('.')})."));
        _state.Waiting(m.Computer, m.Reason);
    }

    private TimeSpan OfflineLimit => _state!.Plan.OfflineTimeout ?? _settings.OfflineTimeout;

    /// <summary>Jobs whose computer stayed offline for the limit fail with that reason (a session never waits forever).</summary>
    private void EndOffline()
    {
        if (_state is null || _state.Outcome is not null) return;
        foreach (var expired in _state.OfflineExpired(DateTimeOffset.UtcNow, OfflineLimit)) Finished(expired, "coordinator");
    }

    /// <summary>
    /// The operator cancels: every unfinished job ends <c>cancelled</c> (by whom), the dispatcher drops the queued ones and
    /// the computers stop the running ones; then the session concludes <c>Cancelled</c>.
    /// </summary>
    private void Cancel(CancelSession cmd)
    {
        if (!Exists()) return;
        if (_state!.Outcome is not null) { Sender.Tell(new Refused($"Session {_id} has already ended ({_state.Outcome.ToString()!.ToLowerInvariant()}).")); return; }
        var events = _state.Cancel(cmd.By, DateTimeOffset.UtcNow).Where(e => _finishing.Add(e.Computer)).ToList();
        foreach (var e in events) _dispatcher.Tell(Signed(new CancelJob(_id, e.Computer)));
        var replyTo = Sender;
        replyTo.Tell(new Accepted(_id));
        if (events.Count == 0) return; // every job is already finishing
        PersistAllAsync(events, e =>
        {
            _finishing.Remove(e.Computer);
            _acknowledged.Add(e.Computer);
            _state.Apply(e);
            _dispatcher.Tell(Signed(new ReleaseComputer(_id, e.Computer)));
            ConcludeIfDone();
        });
    }

    private void Started(JobStarted m)
    {
        _acknowledged.Add(m.Computer);
        _state!.Heard(m.Computer);
        // A job whose end is being written is not started again: a JobStarted can arrive after the JobFinished (a computer
        // that decides at once — already cached, refused — sends both together, and each may wait on its own registry lookup).
        if (_state!.Job(m.Computer) is not { Status: JobStatus.Queued } || _finishing.Contains(m.Computer) || !_starting.Add(m.Computer)) return;
        PersistAsync(new ComputerJobStarted(_id, m.Computer, m.Path, m.Reason, $"computer:{m.Computer}", DateTimeOffset.UtcNow), e =>
        {
            _starting.Remove(e.Computer);
            _state.Apply(e);
        });
    }

    /// <summary>A job's end; the dispatcher's own verdicts (a kind the agent cannot run, a computer removed from its classroom) are the coordinator's.</summary>
    private void Finished(JobFinished m) => Finished(m, m.Reason is "not available yet" or "removed from its classroom" ? "coordinator" : null);

    private void Finished(JobFinished m, string? decidedBy)
    {
        if (_state!.Job(m.Computer) is not { } job || SessionState.IsEnded(job.Status) || !_finishing.Add(m.Computer)) return;
        _acknowledged.Add(m.Computer);
        var by = decidedBy ?? $"computer:{job.Computer}";
        PersistAsync(new ComputerJobFinished(_id, job.Computer, m.Outcome, m.Path, m.Reason, m.Bytes, m.Duration, m.Error, by,
            DateTimeOffset.UtcNow, m.Restored, m.ResumedFrom, m.Attempt), e =>
        {
            _finishing.Remove(e.Computer);
            _state.Apply(e);
            _dispatcher.Tell(Signed(new ReleaseComputer(_id, e.Computer)));
            if (IsMaster(e.Computer) && e.Outcome != JobOutcome.Succeeded)
                Self.Tell(new AbortClone($"The master {e.Computer} failed: {(e.Error.Length > 0 ? e.Error : e.Outcome.ToString().ToLowerInvariant()).TrimEnd('.')}."));
            if (SessionState.PartitionRecord(_state.Plan, e) is var (revision, damage)) RecordPartition(_state.Job(e.Computer)!, revision, damage);
            ConcludeIfDone();
        });
    }

    // ---- remote cloning (clone-remote): the session is where receivers find the master's offer ---------------------------

    private OgActors.Messages.Clone.CloneOffer? _cloneOffer; // live: the master sends it again every few seconds while it serves
    private string? _cloneAbort;

    private bool IsMaster(string computer) =>
        _state!.Plan.Kind == SessionKind.CloneRemote && computer.Equals(_state.Plan.Master, StringComparison.OrdinalIgnoreCase);

    /// <summary>The master serves: what receivers are told, with the master's address (its classroom record) for the unicast fan-out.</summary>
    private void Offered(OgActors.Messages.Clone.CloneOffer offer)
    {
        if (!IsMaster(offer.Computer) || _cloneAbort is not null) return;
        _state!.Heard(offer.Computer);
        var host = _state.Plan.Targets.FirstOrDefault(t => t.Role == JobRole.Master)?.Ip ?? "";
        _cloneOffer = offer with { Host = offer.Host.Length > 0 ? offer.Host : host };
    }

    private void JoinRequested(OgActors.Messages.Clone.CloneJoinRequest request)
    {
        if (_cloneAbort is not null) request.Receiver.Tell(new OgActors.Messages.Clone.CloneAborted(_id, request.Computer, _cloneAbort));
        else if (_state!.Job(_state.Plan.Master) is { } master && SessionState.IsEnded(master.Status))
            request.Receiver.Tell(new OgActors.Messages.Clone.CloneAborted(_id, request.Computer, $"The master {master.Computer}'s job has already ended ({master.Status.ToString().ToLowerInvariant()})."));
        else if (_cloneOffer is not null) request.Receiver.Tell(_cloneOffer);
    }

    /// <summary>
    /// The master failed or went away: every receiver still in the session fails at once with that reason (decided by the
    /// coordinator; no one waits for a timeout), and its computer is told to stop its tools.
    /// </summary>
    private void AbortReceivers(string reason)
    {
        if (_cloneAbort is not null) return;
        _cloneAbort = reason;
        _cloneOffer = null;
        foreach (var job in _state!.Jobs.Where(j => j.Role == JobRole.Receiver && !SessionState.IsEnded(j.Status)).ToList())
        {
            Finished(new JobFinished(_id, job.Computer, JobOutcome.Failed, job.Path, job.Reason, job.Bytes, job.Duration, reason,
                new RestoredContent("", 0, PartitionWritten: job.Status == JobStatus.Running && job.Bytes > 0)), "coordinator");
            _dispatcher.Tell(Signed(new CancelJob(_id, job.Computer)));
        }
    }

    private void RecordPartition(JobView job, int revision, string damage)
    {
        var plan = _state!.Plan;
        if (job.Role == JobRole.Master || plan.Kind is SessionKind.CreateImage or SessionKind.UpdateCache) return;
        var image = plan.Kind == SessionKind.CloneRemote && plan.Source is { Kind: CloneSourceKind.Partition } source
            ? $"clone of {plan.Master} partition {source.Partition} at {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z"
            : plan.Image;
        _classrooms.Tell(new RecordPartitionImage(job.Classroom, job.Computer, plan.Partition, image, revision, _id,
            $"session:{_id}", damage));
    }

    private void ConcludeIfDone()
    {
        if (_state!.Outcome is not null || _concluding || !_state.AllJobsEnded) return;
        _concluding = true;
        PersistAsync(_state.Conclude(DateTimeOffset.UtcNow), e =>
        {
            _state.Apply(e);
            Timers.CancelAll();
            PassivateSoon();
        });
    }

    private bool Exists()
    {
        if (_state is not null) return true;
        Sender.Tell(new Refused($"Session {_id} does not exist."));
        PassivateSoon();
        return false;
    }

    private void PassivateSoon() => Context.SetReceiveTimeout(_state is null ? TimeSpan.FromSeconds(1) : _settings.IdleAfterEnd);

    public static string Describe(SessionKind kind, TransferMethod method)
    {
        var by = method.ToString().ToLowerInvariant();
        return kind switch
        {
            SessionKind.CreateImage => $"Creating an image (upload by {by})",
            SessionKind.Restore => $"Restoring by {by}",
            SessionKind.UpdateCache => $"Updating the cache by {by}",
            SessionKind.DeployImage => $"Deploying by {by}",
            SessionKind.CloneRemote => $"Remote partition cloning by {by}",
            _ => kind.ToString(),
        };
    }
}
