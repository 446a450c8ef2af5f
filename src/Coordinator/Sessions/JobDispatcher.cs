using Akka.Actor;
using Akka.Event;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Sessions;

/// <summary>
/// The seam between sessions and computers: one for the whole cluster (a cluster singleton on the coordinators). Knows each computer's agent (from
/// <see cref="AgentAvailable"/>/<see cref="AgentGone"/>, published by the computer registry on DistributedPubSub topic
/// <see cref="JobKinds.AgentsTopic"/> or on this node's EventStream; the registry's presence news is checked with the
/// registry itself before it counts, since anyone who reaches a coordinator can publish such news)
/// and enforces <b>one job at a time per computer</b>: a job for a busy or offline computer is <b>queued</b>
/// (first come, first served) and its session told why; it is forwarded when the computer is free and online.
/// <para><b>Capabilities decide dispatch.</b> Each computer's job runner announces the job kinds it can run
/// (<see cref="AgentAvailable.JobKinds"/>, e.g. "Restore/Unicast"; "Restore/Multicast" only where udpcast is installed); the
/// dispatcher keeps the last announcement of every computer (also while it is offline) and sends a job only to a computer
/// whose agent announced its kind. A job of a kind the agent did not announce fails at once for that computer, reason
/// "not available yet", with a sentence naming the kind it lacks. An <see cref="AgentAvailable"/> with no job kinds (the
/// computer registry's presence, through <see cref="AgentPresenceBridge"/>) says where the agent is, not what it runs.
/// A computer whose runner has not announced anything (yet, or at all: a client node started without announcing) gets the
/// jobs every runner runs, <see cref="JobKinds.Unicast"/>; a job of any other kind
/// waits for its announcement (as offline, so the offline limit applies) rather than failing on a guess.</para>
/// Its state is not persisted: after a restart, sessions send their unfinished jobs again and rebuild it, and the
/// runners' periodic announcements bring back what each computer runs.
/// </summary>
public sealed class JobDispatcher : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, IActorRef> _agents = new(StringComparer.OrdinalIgnoreCase);
    // What each computer's runner last announced it can run; kept while the computer is offline (a restarted runner announces again).
    private readonly Dictionary<string, IReadOnlySet<string>> _announced = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, RunJob> _running = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<RunJob>> _waiting = new(StringComparer.OrdinalIgnoreCase);
    // Where the computer registry says each online computer's agent is, and a runner's announcement that came before it.
    private readonly Dictionary<string, Address> _registered = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, AgentAvailable> _unconfirmed = new(StringComparer.OrdinalIgnoreCase);

    private readonly IActorRef? _mediator;
    private readonly OgActors.Hosting.Tls.JobOrderSigner? _signer;
    private readonly OgActors.Hosting.Tls.JobOrderVerifier? _check;
    private readonly Func<string, Task<IActorRef?>>? _registry;
    private readonly IActorRef? _classrooms;

    /// <summary>What the computer registry answered about a computer's agent (null: not online), after presence news of it.</summary>
    private sealed record Registered(string Computer, IActorRef? Agent) : INoSerializationVerificationNeeded;

    /// <summary>What the classroom answered after news that a computer left it: whether it still holds the computer.</summary>
    private sealed record RemovalChecked(ComputerRemovedFromClassroom Removal, bool StillThere) : INoSerializationVerificationNeeded;

    /// <summary>The registry or the classroom could not be asked: the news is left unconfirmed (logged).</summary>
    private sealed record CheckFailed(string Why) : INoSerializationVerificationNeeded;

    /// <param name="signer">Signs each order as it goes to a computer (og.tls on; null: unsigned).</param>
    /// <param name="check">Checks that a session signed the orders handed in (og.tls on; null: taken unchecked).</param>
    /// <param name="registry">A computer's registered agent, asked of the computer registry: presence news is checked against it
    /// (<see cref="SessionSettings.RegisteredAgent"/>; null: the news is believed).</param>
    /// <param name="classrooms">The classrooms (their shard region): news that a computer left its classroom is checked with it
    /// (null: believed).</param>
    public JobDispatcher(IActorRef? mediator, OgActors.Hosting.Tls.JobOrderSigner? signer = null, OgActors.Hosting.Tls.JobOrderVerifier? check = null,
        Func<string, Task<IActorRef?>>? registry = null, IActorRef? classrooms = null)
    {
        _mediator = mediator;
        _signer = signer;
        _check = check;
        _registry = registry;
        _classrooms = classrooms;
        Receive<DispatchJob>(m => { if (FromSession(m.Job)) Dispatch(m.Job); });
        Receive<ReleaseComputer>(m => { if (FromSession(m)) Release(m); });
        Receive<CancelJob>(m => { if (FromSession(m)) Cancel(m); });
        Receive<AgentAvailable>(m => { if (m.JobKinds.Count == 0 && _registry is not null) AskRegistry(m.Computer); else Online(m); });
        Receive<AgentGone>(m => { if (_registry is not null) AskRegistry(m.Computer); else Offline(m); });
        Receive<Registered>(Confirmed);
        Receive<ComputerRemovedFromClassroom>(m => { if (_classrooms is null) Removed(m); else AskClassroom(m); });
        Receive<RemovalChecked>(c =>
        {
            if (!c.StillThere) Removed(c.Removal);
            else _log.Warning("Ignored news that {0} left classroom {1}: the classroom still holds it", c.Removal.Computer, c.Removal.Classroom);
        });
        Receive<CheckFailed>(f => _log.Warning(f.Why));
        Receive<JobFinishedAck>(_ => { });
        Receive<Akka.Cluster.Tools.PublishSubscribe.SubscribeAck>(_ => { });
    }

    public static Props Props(IActorRef? mediator, OgActors.Hosting.Tls.JobOrderSigner? signer = null, OgActors.Hosting.Tls.JobOrderVerifier? check = null,
        Func<string, Task<IActorRef?>>? registry = null, IActorRef? classrooms = null) =>
        Akka.Actor.Props.Create(() => new JobDispatcher(mediator, signer, check, registry, classrooms));

    /// <summary>Its name as a cluster singleton (one dispatcher for every coordinator).</summary>
    public const string Name = "job-dispatcher";

    /// <summary>
    /// Subscribes to the agents' announcements, and tells every session that a dispatcher (re)started: a dispatcher that
    /// moved to another coordinator knows no job, so the sessions send their unfinished ones again (the computers' runners
    /// answer where each job is, and never run one twice). Agents in this process reach it through
    /// <see cref="JobDispatcherRelay"/>; the EventStream is subscribed too when it runs without a mediator (unit tests).
    /// </summary>
    protected override void PreStart()
    {
        if (_signer is not null)
            _log.Info("Job orders to computers are signed with '{0}', valid {1} each{2}", _signer.Subject, _signer.Lifetime,
                _check is null ? "" : "; orders are taken only from sessions that signed them");
        else
            _log.Warning("Job orders to computers go UNSIGNED: og.tls.enabled is off (tests only; computers with TLS on refuse them)");
        if (_mediator is null)
        {
            Context.System.EventStream.Subscribe(Self, typeof(AgentAvailable));
            Context.System.EventStream.Subscribe(Self, typeof(AgentGone));
            return;
        }
        _mediator.Tell(new Akka.Cluster.Tools.PublishSubscribe.Subscribe(JobKinds.AgentsTopic, Self));
        _mediator.Tell(new Akka.Cluster.Tools.PublishSubscribe.Publish(JobKinds.DispatcherTopic, new JobDispatcherStarted(Self, DateTimeOffset.UtcNow)));
    }

    /// <summary>
    /// With og.tls on, a RunJob, CancelJob or ReleaseComputer is taken only with a coordinator's valid signature (a session's):
    /// the dispatcher signs what it sends, so it must not sign what anyone who reaches it asks — a lab PC holds a computer certificate the
    /// transport lets in, and names whatever sender it likes. Anything else is logged and dropped, unanswered.
    /// </summary>
    private bool FromSession(IJobOrder order)
    {
        if (_check?.SealRefusal(order, DateTimeOffset.UtcNow) is not { } why) return true;
        _log.Warning("Refused {0} of session {1} for {2} from {3}: {4}", order.GetType().Name, order.SessionId, order.Computer, Sender.Path, why);
        return false;
    }

    private void Dispatch(RunJob job)
    {
        var pc = job.Computer;
        if (_running.TryGetValue(pc, out var current))
        {
            if (current.SessionId == job.SessionId)
            {
                _running[pc] = job; // a resend (e.g. after a restart): the agent reports where it is
                if (_agents.TryGetValue(pc, out var agent)) Order(agent, job);
                else job.ReplyTo.Tell(new JobQueued(job.SessionId, pc, $"{pc} is offline", Offline: true));
                return;
            }
            Enqueue(job);
            job.ReplyTo.Tell(new JobQueued(job.SessionId, pc, $"{pc} is busy with session {current.SessionId}"));
            return;
        }
        if (!_agents.TryGetValue(pc, out var online))
        {
            Enqueue(job);
            job.ReplyTo.Tell(new JobQueued(job.SessionId, pc, $"{pc} is offline", Offline: true));
            return;
        }
        if (MustAwaitAnnouncement(job))
        {
            Enqueue(job); // online, but its runner has not said yet whether it can run this
            job.ReplyTo.Tell(new JobQueued(job.SessionId, pc, NotAnnounced(job), Offline: true));
            return;
        }
        if (_waiting.TryGetValue(pc, out var queue) && queue.Count > 0 && queue[0].SessionId != job.SessionId)
        {
            Enqueue(job); // others came first
            job.ReplyTo.Tell(new JobQueued(job.SessionId, pc, $"{pc} has {queue.Count} job(s) before it"));
            TryStartNext(pc);
            return;
        }
        Remove(pc, job.SessionId);
        Run(job, online);
    }

    private void Run(RunJob job, IActorRef agent)
    {
        var kind = JobKinds.Of(job.Spec.Kind, job.Spec.Method);
        var announced = _announced.GetValueOrDefault(job.Computer) ?? EveryRunnerRuns;
        if (!announced.Contains(kind))
        {
            job.ReplyTo.Tell(new JobFinished(job.SessionId, job.Computer, JobOutcome.Failed, "", "not available yet", 0, TimeSpan.Zero,
                Lacks(job, kind, announced)));
            TryStartNext(job.Computer);
            return;
        }
        _running[job.Computer] = job;
        Order(agent, job);
    }

    /// <summary>
    /// Sends an order to a computer's agent, signed now by this coordinator when og.tls is on: the signature is as fresh as
    /// the sending (a job may have waited long in the queue), and a dispatcher that moved to another coordinator signs with that one's certificate.
    /// </summary>
    private void Order<T>(IActorRef agent, T order) where T : IJobOrder => agent.Tell(_signer is null ? order : _signer.Seal(order));

    /// <summary>"Restoring by multicast cannot run on pc01: its agent does not announce Restore/Multicast (…); it announces …".</summary>
    public static string Lacks(RunJob job, string kind, IReadOnlySet<string> announced)
    {
        var needs = job.Spec.Method switch
        {
            TransferMethod.Multicast => " (multicast needs udpcast on the computer)",
            TransferMethod.Torrent => " (torrent needs aria2 on the computer)",
            _ => "",
        };
        var has = announced.Count == 0 ? "it announces no job kind at all" : $"it announces {string.Join(", ", announced.Order(StringComparer.Ordinal))}";
        return $"{DeploymentSessionActor.Describe(job.Spec.Kind, job.Spec.Method)} cannot run on {job.Computer}: its agent does not announce {kind}{needs}; {has}.";
    }

    /// <summary>What every job runner runs (its default announcement): what a computer whose runner has not announced gets.</summary>
    private static readonly IReadOnlySet<string> EveryRunnerRuns = JobKinds.Unicast.ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The computer's runner has announced nothing, and the job is not of a kind every runner runs.</summary>
    private bool MustAwaitAnnouncement(RunJob job) =>
        !_announced.ContainsKey(job.Computer) && !EveryRunnerRuns.Contains(JobKinds.Of(job.Spec.Kind, job.Spec.Method));

    private static string NotAnnounced(RunJob job) =>
        $"{job.Computer}'s agent has not announced yet whether it can run {JobKinds.Of(job.Spec.Kind, job.Spec.Method)}";

    private void Release(ReleaseComputer m)
    {
        if (_running.TryGetValue(m.Computer, out var job) && job.SessionId == m.SessionId) _running.Remove(m.Computer);
        Remove(m.Computer, m.SessionId);
        TryStartNext(m.Computer);
    }

    /// <summary>A cancelled session's job: dropped from the queue, or stopped on the computer if it runs there.</summary>
    private void Cancel(CancelJob m)
    {
        Remove(m.Computer, m.SessionId);
        if (_running.TryGetValue(m.Computer, out var job) && job.SessionId == m.SessionId && _agents.TryGetValue(m.Computer, out var agent))
            Order(agent, m);
    }

    /// <summary>
    /// A computer's agent is online. With job kinds, its runner's own announcement: they replace what it announced before.
    /// Without (the registry's presence), only where the agent is.
    /// </summary>
    private void Online(AgentAvailable m)
    {
        if (m.JobKinds.Count == 0)
        {
            // The registry's presence (AgentPresenceBridge): where the computer's registered agent is.
            _registered[m.Computer] = m.Agent.Path.Address;
            if (_unconfirmed.Remove(m.Computer, out var early) && early.Agent.Path.Address.Equals(m.Agent.Path.Address))
            {
                Use(early);
                return;
            }
        }
        else
        {
            switch (AgentAnnouncementCheck.Judge(m.Agent.Path.Address, _registered.GetValueOrDefault(m.Computer),
                        _registry is null ? a => a.HasLocalScope || IsTrustedNode(a) : null))
            {
                case AgentAnnouncementCheck.Verdict.AwaitRegistration:
                    _unconfirmed[m.Computer] = m;
                    return;
                case AgentAnnouncementCheck.Verdict.Refuse:
                    _log.Warning(AgentAnnouncementCheck.Refusal(m.Computer, m.Agent.Path.Address, _registered[m.Computer]));
                    return;
            }
        }
        Use(m);
    }

    /// <summary>
    /// Presence news of a computer (its agent came, or went) is a cue, not a fact: whoever reaches a coordinator can publish
    /// it, so the registry — where a computer's agent is bound by its registration — is asked, and its answer is what counts.
    /// </summary>
    private void AskRegistry(string computer) =>
        _registry!(computer).WaitAsync(TimeSpan.FromSeconds(15)).PipeTo(Self, success: agent => new Registered(computer, agent),
            failure: e => new CheckFailed($"Could not ask the computer registry where {computer}'s agent is: {e.GetBaseException().Message}"));

    /// <summary>The registry's answer: the computer's agent where it is registered, or gone; nothing to do when that is what this knows already.</summary>
    private void Confirmed(Registered r)
    {
        if (r.Agent is null)
        {
            if (_agents.ContainsKey(r.Computer) || _registered.ContainsKey(r.Computer)) Offline(new AgentGone(r.Computer));
            return;
        }
        // known already: registered from that node, and its jobs go to that node (its agent, or its runner that announced itself)
        var node = r.Agent.Path.Address;
        if (_registered.TryGetValue(r.Computer, out var known) && known.Equals(node)
            && _agents.TryGetValue(r.Computer, out var agent) && agent.Path.Address.Equals(node)) return;
        Online(new AgentAvailable(r.Computer, r.Agent, []));
    }

    /// <summary>
    /// News that a computer left its classroom fails its queued jobs, and anyone who reaches a coordinator could send it: the
    /// classroom is asked, and the jobs end only if it no longer holds the computer.
    /// </summary>
    private void AskClassroom(ComputerRemovedFromClassroom removal) =>
        _classrooms!.Ask<object>(new OgActors.Messages.Classrooms.GetClassroom(removal.Classroom), TimeSpan.FromSeconds(15)).PipeTo(Self,
            success: reply => new RemovalChecked(removal, reply is OgActors.Messages.Classrooms.ClassroomView room &&
                room.Computers.Any(c => c.Name.Equals(removal.Computer, StringComparison.OrdinalIgnoreCase))),
            failure: e => new CheckFailed($"Could not ask classroom {removal.Classroom} whether {removal.Computer} left it: {e.GetBaseException().Message}"));

    /// <summary>This process, or a member of the cluster (coordinators and repositories; computers are never members).</summary>
    private bool IsTrustedNode(Address address) =>
        address.Equals(((ExtendedActorSystem)Context.System).Provider.DefaultAddress) ||
        (Context.System.Settings.ProviderClass.Contains("Cluster", StringComparison.Ordinal) &&
         Akka.Cluster.Cluster.Get(Context.System).State.Members.Any(member => member.Address.Equals(address)));

    private void Use(AgentAvailable m)
    {
        _agents[m.Computer] = m.Agent;
        if (m.JobKinds.Count > 0) _announced[m.Computer] = m.JobKinds.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (_running.TryGetValue(m.Computer, out var job)) Order(m.Agent, job); // it came back: report where the job is
        else TryStartNext(m.Computer);
    }

    private void Offline(AgentGone m)
    {
        _agents.Remove(m.Computer);
        _registered.Remove(m.Computer);
        _unconfirmed.Remove(m.Computer);
        if (_running.TryGetValue(m.Computer, out var job))
            job.ReplyTo.Tell(new JobQueued(job.SessionId, m.Computer, $"{m.Computer} went offline during the job", Offline: true));
        foreach (var queued in _waiting.GetValueOrDefault(m.Computer) ?? [])
            queued.ReplyTo.Tell(new JobQueued(queued.SessionId, m.Computer, $"{m.Computer} is offline", Offline: true));
    }

    /// <summary>The computer left its classroom: every job of it that has not started ends, failed, with that reason.</summary>
    private void Removed(ComputerRemovedFromClassroom m)
    {
        foreach (var pending in _waiting.GetValueOrDefault(m.Computer) ?? [])
            pending.ReplyTo.Tell(new JobFinished(pending.SessionId, m.Computer, JobOutcome.Failed, "", "removed from its classroom", 0, TimeSpan.Zero,
                $"{m.Computer} was removed from classroom {m.Classroom} by {m.By}."));
        _waiting.Remove(m.Computer);
    }

    private void TryStartNext(string pc)
    {
        if (_running.ContainsKey(pc) || !_agents.TryGetValue(pc, out var agent)) return;
        if (!_waiting.TryGetValue(pc, out var queue) || queue.Count == 0) return;
        var next = queue[0];
        if (MustAwaitAnnouncement(next)) return; // first come, first served: the rest wait behind it
        queue.RemoveAt(0);
        _log.Debug("Computer {0} is free: starting session {1}'s job", pc, next.SessionId);
        Run(next, agent);
    }

    private void Enqueue(RunJob job)
    {
        if (!_waiting.TryGetValue(job.Computer, out var queue)) _waiting[job.Computer] = queue = [];
        var index = queue.FindIndex(j => j.SessionId == job.SessionId);
        if (index >= 0) queue[index] = job; else queue.Add(job);
    }

    private void Remove(string pc, string sessionId)
    {
        if (_waiting.TryGetValue(pc, out var queue)) queue.RemoveAll(j => j.SessionId == sessionId);
    }
}
