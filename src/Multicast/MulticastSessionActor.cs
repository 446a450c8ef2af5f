using Akka.Actor;
using Akka.Event;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Sidecars;
using OgActors.Messages.Multicast;

namespace OgActors.Multicast;

/// <summary>
/// Owns one multicast transfer of one image to the computers of one classroom in one session, on the sending node. Its
/// decisions are <see cref="MulticastSessionState"/>'s; it talks: admits members (group, port), starts the
/// <see cref="UdpSenderActor"/> when the state says so, tells late and dropped members to catch up by unicast, reports
/// <see cref="MulticastStatus"/> to the deployment session, and stops once every member's part is over (its child, and so
/// the sender process, stops with it).
/// </summary>
public sealed class MulticastSessionActor : ReceiveActor, IWithTimers
{
    private sealed record Tick : INoSerializationVerificationNeeded;
    private sealed record Settle : INoSerializationVerificationNeeded;

    private readonly MulticastNodeSettings _settings;
    private readonly MulticastSessionState _state;
    private readonly Dictionary<string, IActorRef> _members = new(StringComparer.OrdinalIgnoreCase);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private JoinMulticast _first;
    private string? _imagePath;
    private string? _unavailable;
    private bool _resolved;
    private IActorRef? _sender;
    private long _senderBytes;
    private double _senderRate;
    private bool _settling;

    public MulticastSessionActor(MulticastNodeSettings settings, JoinMulticast first, int port)
    {
        _settings = settings;
        _first = first;
        var m = first.Settings;
        _state = new MulticastSessionState(first.SessionId, first.Classroom, m.GroupAddress, port, m.WaitForComputers,
            first.ClassroomComputers, TimeSpan.FromSeconds(m.MaxWaitSeconds), DateTimeOffset.UtcNow, settings.Stragglers);

        Receive<JoinMulticast>(Join);
        Receive<MulticastReceiverReady>(r => Act(_state.Ready(r.Computer, DateTimeOffset.UtcNow)));
        Receive<MulticastMemberDone>(d => Act(_state.Done(d.Computer, d.Received, d.Note, DateTimeOffset.UtcNow)));
        Receive<MulticastReceiverProgress>(p =>
        {
            foreach (var e in _state.Progress(p.Computer, p.Bytes, p.TotalBytes, p.BytesPerSecond, DateTimeOffset.UtcNow)) _state.Apply(e);
        });
        Receive<Tick>(_ => { Act(_state.Tick(DateTimeOffset.UtcNow)); if (_state.Phase == MulticastPhase.Sending) Report(); });
        Receive<UdpSenderActor.Progressed>(p => { _senderBytes = p.Bytes; _senderRate = p.BytesPerSecond; });
        Receive<UdpSenderActor.Exited>(e =>
        {
            if (_sender is null || !Sender.Equals(_sender)) return; // a sender already stopped
            _sender = null;
            _log.Info("Multicast of {0} in session {1} ({2}): {3}", _first.Image, _state.SessionId, _state.Classroom, e.Sentence);
            Act(_state.SenderExited(e.Succeeded, e.Succeeded ? $"Sent {_senderBytes} bytes to {_state.In(MemberState.Receiving, MemberState.Received).Count} computers; {e.Sentence}" : e.Sentence, DateTimeOffset.UtcNow));
        });
        Receive<Settle>(_ => Context.Stop(Self));
    }

    public static Props Props(MulticastNodeSettings settings, JoinMulticast first, int port) =>
        Akka.Actor.Props.Create(() => new MulticastSessionActor(settings, first, port));

    public int Port => _state.Port;

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartPeriodicTimer("tick", new Tick(), TimeSpan.FromSeconds(1));

    protected override void PostStop()
    {
        // The node stops or the transfer was abandoned: the sender (a child) is stopped with us; members still in it catch up.
        if (!_state.Settled)
        {
            foreach (var e in _state.Stop("The multicast sender stopped (its node is stopping).", DateTimeOffset.UtcNow)) _state.Apply(e);
            foreach (var m in _state.In(MemberState.Receiving, MemberState.Late)) Missed(m, _state.Note);
        }
        Report();
    }

    /// <summary>The image file this node sends, or why it cannot (no such file, another content than the computers expect).</summary>
    private (string? Path, string? Why) Resolve(JoinMulticast join)
    {
        var path = Path.Combine(_settings.ImagesDirectory, join.Folder, join.Image + ".img");
        if (!File.Exists(path)) return (null, $"Repository {_settings.Repository} has no file for image {join.Image}.");
        var sum = SidecarWriter.ReadChecksum(path + SidecarWriter.FullSumExtension);
        if (!string.Equals(sum, join.FullSum, StringComparison.OrdinalIgnoreCase))
            return (null, $"Repository {_settings.Repository}'s {join.Image} is not the content the computers expect (full sum {sum ?? "missing"}).");
        return (path, null);
    }

    private void Join(JoinMulticast join)
    {
        _members[join.Computer] = join.Member;
        if (!_resolved && join.Declined.Length == 0)
        {
            // The first computer that joins names the content (a decline may come first, knowing less).
            _resolved = true;
            _first = join with { Session = _first.Session };
            (_imagePath, _unavailable) = Resolve(join);
        }
        if (_unavailable is not null && join.Declined.Length == 0) { Missed(join.Computer, $"{_unavailable} It catches up by unicast."); return; }
        if (_state.StateOf(join.Computer) is { } known)
        {
            // A join sent again (the computer did not hear the answer): tell it again where it stands.
            if (known is MemberState.Admitted or MemberState.Ready or MemberState.Receiving) Admit(join.Computer);
            else if (known is MemberState.Late or MemberState.Dropped) Missed(join.Computer, _state.NoteOf(join.Computer));
            return;
        }
        Act(_state.Join(join.Computer, join.Declined, DateTimeOffset.UtcNow));
    }

    private void Act(IReadOnlyList<MulticastSessionState.Event> events)
    {
        if (events.Count == 0) return;
        foreach (var e in events)
        {
            _state.Apply(e);
            switch (e)
            {
                case MulticastSessionState.MemberAdmitted a: Admit(a.Computer); break;
                case MulticastSessionState.MemberLate l: Missed(l.Computer, l.Reason); break;
                case MulticastSessionState.StragglerDropped d:
                    _log.Warning("Multicast of {0} in session {1} ({2}): {3}", _first.Image, _state.SessionId, _state.Classroom, d.Reason);
                    Missed(d.Computer, d.Reason); // it stops its udp-receiver; udp-sender drops it within --retries-until-drop
                    break;
                case MulticastSessionState.SendingStarted s: StartSender(s); break;
                case MulticastSessionState.SenderEnded end:
                    foreach (var m in _state.In(MemberState.Late)) Missed(m, _state.NoteOf(m));
                    if (!end.Succeeded) foreach (var m in _state.In(MemberState.Receiving)) Missed(m, $"{end.Sentence} It catches up by unicast.");
                    break;
                case MulticastSessionState.Abandoned:
                    foreach (var m in _state.In(MemberState.Late)) Missed(m, _state.NoteOf(m));
                    break;
            }
        }
        // Every receiver has left or finished (a cancelled session, every computer dropped): the sender serves nobody; stop it.
        if (_state.Phase == MulticastPhase.Sending && _sender is not null && _state.In(MemberState.Receiving).Count == 0)
        {
            Context.Stop(_sender);
            _sender = null;
            var served = _state.In(MemberState.Received).Count;
            Act(_state.SenderExited(served > 0, served > 0
                ? $"Sent {_senderBytes} bytes to {served} computers."
                : "Every receiver left the multicast; udp-sender was stopped.", DateTimeOffset.UtcNow));
            return;
        }
        Report();
        if (_state.Phase == MulticastPhase.Done && !_settling)
        {
            _settling = true;
            Timers.StartSingleTimer("settle", new Settle(), _settings.SettleTimeout);
        }
        if (_state.Settled) Context.Stop(Self);
    }

    private void StartSender(MulticastSessionState.SendingStarted started)
    {
        _log.Info("Multicast of {0} in session {1} ({2}) starts on {3}:{4}: {5}", _first.Image, _state.SessionId, _state.Classroom,
            _state.Group, _state.Port, started.Reason);
        var m = _first.Settings;
        var iface = _settings.Interface.Length > 0 ? _settings.Interface : MulticastRoute.InterfaceFor(_state.Group);
        var command = new UdpSenderCommand(_imagePath!, new MulticastStreamHeader(_state.SessionId, _first.Image, _first.Revision, _first.FullSum, _first.SizeBytes),
            iface, _state.Port, _state.Group, m.Duplex, m.MaxMbps, started.Members.Count, (int)Math.Max(1, _settings.SenderMaxWait.TotalSeconds),
            _settings.RetriesUntilDrop, _settings.Wrapper);
        _sender = Context.ActorOf(UdpSenderActor.Props(command), "udp-sender");
    }

    private void Admit(string computer) =>
        _members.GetValueOrDefault(computer)?.Tell(new MulticastAdmitted(_state.SessionId, computer, _state.Group, _state.Port,
            (int)(_first.Settings.MaxWaitSeconds + _settings.ReceiverStartTimeout.TotalSeconds)));

    private void Missed(string computer, string reason) =>
        _members.GetValueOrDefault(computer)?.Tell(new MulticastMissed(_state.SessionId, computer, reason));

    // By path, not by the ref the first join carried: after a coordinator restart that ref names the old incarnation's
    // session region (a dead letter), while the path reaches the restarted one, so the recovered session gets the reports.
    private void Report() => Context.ActorSelection(_first.Session.Path).Tell(_state.Status(_settings.Repository, _senderRate, _senderBytes));
}
