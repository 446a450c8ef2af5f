using OgActors.Messages.Multicast;

namespace OgActors.Multicast;

/// <summary>What a computer is in one multicast transfer.</summary>
public enum MemberState { Admitted, Ready, Declined, Late, Receiving, Received, Dropped, Left }

/// <summary>
/// One multicast transfer's decisions, with no actor and no process: the <see cref="MulticastSessionActor"/> feeds it what
/// happened (a join, a receiver ready, a member done, the clock, the sender's exit), gets the events it decided and applies
/// them (decide → events → apply).
/// <code>
/// Waiting ──(ready ≥ target, or max wait passed with ≥ 1 ready)──▶ Sending ──(sender exited)──▶ Done
///    └────────────(max wait passed, nobody joined / everyone declined or left)─────────────────▶ Done
/// member: Admitted ──▶ Ready ──(start)──▶ Receiving ──▶ Received | Dropped (unicast catch-up)
///                                           └──(progress reports: too far behind, or stalled — the drop rule)──▶ Dropped
///         (joined after the start, or ready after it) ──▶ Late (unicast catch-up); Declined; Left (cancelled)
/// </code>
/// Target: <c>WaitForComputers</c> when &gt; 0, else every computer of the session in the classroom; never more than the
/// computers that can still join (those that declined or left do not count).
/// </summary>
public sealed class MulticastSessionState(
    string sessionId, string classroom, string group, int port, int waitFor, int classroomComputers, TimeSpan maxWait, DateTimeOffset createdAt,
    StragglerRule? stragglers = null)
{
    public abstract record Event;
    public sealed record MemberAdmitted(string Computer) : Event;
    public sealed record MemberDeclined(string Computer, string Reason) : Event;
    public sealed record MemberReady(string Computer) : Event;
    /// <summary>The computer came too late (or its receiver was ready too late): it finishes by unicast.</summary>
    public sealed record MemberLate(string Computer, string Reason) : Event;
    public sealed record SendingStarted(IReadOnlyList<string> Members, string Reason, DateTimeOffset At) : Event;
    public sealed record SenderEnded(bool Succeeded, string Sentence, DateTimeOffset At) : Event;
    public sealed record MemberReceived(string Computer) : Event;
    /// <summary>A receiving member lost the stream (dropped by the sender, died, refused it): it finishes by unicast.</summary>
    public sealed record MemberDropped(string Computer, string Reason) : Event;
    public sealed record MemberLeft(string Computer, string Reason) : Event;
    /// <summary>A receiving member said how far it is (what its job has read of the stream).</summary>
    public sealed record MemberProgressed(string Computer, long Bytes, long TotalBytes, double BytesPerSecond, DateTimeOffset At) : Event;
    /// <summary>
    /// The session dropped a receiving member that holds the class back (it fell too far behind the leader, or stopped
    /// advancing while the others went on): it is told to stop its receiver (udp-sender then drops it in about a second)
    /// and finishes by unicast.
    /// </summary>
    public sealed record StragglerDropped(string Computer, string Reason, DateTimeOffset At) : Event;
    /// <summary>Nothing to send: the max wait passed with no receiver ready, or every computer declined or left.</summary>
    public sealed record Abandoned(string Reason, DateTimeOffset At) : Event;

    private readonly Dictionary<string, MemberState> _members = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _notes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Position> _positions = new(StringComparer.OrdinalIgnoreCase);
    private readonly StragglerRule _rule = stragglers ?? StragglerRule.Default;

    /// <summary>Where a receiving member is: its last report, when it last advanced, since when it is too far behind.</summary>
    private sealed record Position(long Bytes, long TotalBytes, double Rate, DateTimeOffset At, DateTimeOffset AdvancedAt, DateTimeOffset? BehindSince)
    {
        /// <summary>
        /// The bytes it has read by <paramref name="now"/>, projected at its own rate from its last report — at most one
        /// report interval (1 s) on: a member that stopped reporting has stopped reading, it is not running ahead.
        /// </summary>
        public double Projected(DateTimeOffset now) =>
            Complete ? TotalBytes : Math.Min(TotalBytes > 0 ? TotalBytes : double.MaxValue, Bytes + Rate * Math.Clamp((now - At).TotalSeconds, 0, 1));

        public bool Complete => TotalBytes > 0 && Bytes >= TotalBytes;
    }

    public string SessionId { get; } = sessionId;
    public string Classroom { get; } = classroom;
    public string Group { get; } = group;
    public int Port { get; } = port;
    public MulticastPhase Phase { get; private set; } = MulticastPhase.Waiting;
    public DateTimeOffset WaitingSince { get; } = createdAt;
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public string Note { get; private set; } = "";
    public IReadOnlyDictionary<string, MemberState> Members => _members;

    public MemberState? StateOf(string computer) => _members.TryGetValue(computer, out var s) ? s : null;
    public IReadOnlyList<string> In(params MemberState[] states) =>
        [.. _members.Where(m => states.Contains(m.Value)).Select(m => m.Key).Order(StringComparer.OrdinalIgnoreCase)];

    private int Count(params MemberState[] states) => _members.Values.Count(states.Contains);

    /// <summary>How many ready receivers the sender waits for now.</summary>
    public int Target
    {
        get
        {
            var wanted = waitFor > 0 ? waitFor : Math.Max(1, classroomComputers);
            if (classroomComputers > 0) wanted = Math.Min(wanted, classroomComputers - Count(MemberState.Declined, MemberState.Left));
            return Math.Max(1, wanted);
        }
    }

    /// <summary>Every member's part is over and the sender is not running: the actor can stop.</summary>
    public bool Settled => Phase == MulticastPhase.Done && Count(MemberState.Admitted, MemberState.Ready, MemberState.Receiving) == 0;

    // ---- decisions ------------------------------------------------------------------------------------------------------

    /// <summary>A computer asks to join (or, <paramref name="declined"/> non-empty, says it will not). Repeated joins decide nothing.</summary>
    public IReadOnlyList<Event> Join(string computer, string declined, DateTimeOffset now)
    {
        if (_members.ContainsKey(computer)) return [];
        if (declined.Length > 0) return Then([new MemberDeclined(computer, declined)], now);
        if (Phase != MulticastPhase.Waiting)
            return [new MemberLate(computer, Phase == MulticastPhase.Sending
                ? $"{computer} joined after the multicast had started (at {StartedAt:HH:mm:ss}); it catches up by unicast."
                : $"{computer} joined after the multicast had ended ({Note.TrimEnd('.')}); it catches up by unicast.")];
        return [new MemberAdmitted(computer)];
    }

    /// <summary>The computer's udp-receiver runs.</summary>
    public IReadOnlyList<Event> Ready(string computer, DateTimeOffset now)
    {
        if (StateOf(computer) != MemberState.Admitted) return [];
        if (Phase != MulticastPhase.Waiting)
            return [new MemberLate(computer, $"{computer}'s receiver was ready after the multicast had started; it catches up by unicast.")];
        return Then([new MemberReady(computer)], now);
    }

    /// <summary>The computer's part is over (received the whole stream, or not).</summary>
    public IReadOnlyList<Event> Done(string computer, bool received, string note, DateTimeOffset now) => StateOf(computer) switch
    {
        MemberState.Receiving when received => [new MemberReceived(computer)],
        MemberState.Receiving => [new MemberDropped(computer, note.Length > 0 ? note : $"{computer} lost the multicast stream.")],
        MemberState.Admitted or MemberState.Ready => Then([new MemberLeft(computer, note.Length > 0 ? note : $"{computer} left before the start.")], now),
        _ => [],
    };

    /// <summary>A receiving member's progress report (bytes of the stream its job has read).</summary>
    public IReadOnlyList<Event> Progress(string computer, long bytes, long totalBytes, double bytesPerSecond, DateTimeOffset now) =>
        Phase == MulticastPhase.Sending && StateOf(computer) == MemberState.Receiving
            ? [new MemberProgressed(computer, bytes, totalBytes, bytesPerSecond, now)] : [];

    /// <summary>
    /// The clock: past the max wait, the transfer starts with the receivers that are ready (or ends if there are none);
    /// while sending, the stragglers are dropped (<see cref="Stragglers"/>).
    /// </summary>
    public IReadOnlyList<Event> Tick(DateTimeOffset now) => Phase switch
    {
        MulticastPhase.Waiting => Then([], now),
        MulticastPhase.Sending => Stragglers(now),
        _ => [],
    };

    /// <summary>
    /// The drop rule (udp-sender paces the class by its slowest receiver and drops only one that stops answering; a slow
    /// but alive one it never drops). With at least two members receiving, a member that has not read the whole stream is
    /// dropped when either
    /// <list type="bullet">
    /// <item>it has been behind the leader (the member furthest on) by more than <see cref="StragglerRule.LagBytes"/> plus
    /// <see cref="StragglerRule.LagSeconds"/> of the leader's rate for <see cref="StragglerRule.Grace"/> —
    /// a receiver whose job reads slowly: udp-receiver's buffer fills, so it lags by that buffer while it slows everyone; or</item>
    /// <item>its progress has not advanced for <see cref="StragglerRule.StallTimeout"/> while another member's did — a
    /// frozen or dead computer (no report at all counts as no advance).</item>
    /// </list>
    /// </summary>
    private IReadOnlyList<Event> Stragglers(DateTimeOffset now)
    {
        var receiving = In(MemberState.Receiving).Where(_positions.ContainsKey).ToList();
        if (receiving.Count < 2) return [];
        var lastAdvance = receiving.Max(m => _positions[m].AdvancedAt);
        var dropped = new List<Event>();
        foreach (var m in receiving)
        {
            var p = _positions[m];
            if (p.Complete) continue;
            if (now - p.AdvancedAt >= _rule.StallTimeout && lastAdvance > p.AdvancedAt)
                dropped.Add(new StragglerDropped(m,
                    $"{m} was dropped from the multicast: its progress stopped at {p.Bytes} bytes for {(int)(now - p.AdvancedAt).TotalSeconds} s while the others went on; it catches up by unicast.", now));
            else if (p.BehindSince is { } since && now - since >= _rule.Grace)
                dropped.Add(new StragglerDropped(m,
                    $"{m} was dropped from the multicast: it stayed more than {Lag(now).Threshold / (1024 * 1024):0.#} MiB behind the fastest receiver for {(int)(now - since).TotalSeconds} s, holding the class back; it catches up by unicast.", now));
        }
        // Never drop every member at once: the one furthest on stays (a slow class is still a class).
        if (dropped.Count == receiving.Count) dropped.RemoveAt(dropped.FindIndex(e => e is StragglerDropped d && d.Computer == Leader(now)));
        return dropped;
    }

    private string Leader(DateTimeOffset now) =>
        In(MemberState.Receiving).Where(_positions.ContainsKey).MaxBy(m => _positions[m].Projected(now))!; // a complete one first

    /// <summary>The leader's position and the lag beyond which a member is behind, at <paramref name="now"/>.</summary>
    private (double Leader, double Threshold) Lag(DateTimeOffset now)
    {
        // A member that has read the whole stream is held back by nobody and holds back nobody: it is not the yardstick.
        var receiving = In(MemberState.Receiving).Where(_positions.ContainsKey).Select(m => _positions[m]).Where(p => !p.Complete).ToList();
        if (receiving.Count == 0) return (0, _rule.LagBytes);
        var leader = receiving.MaxBy(p => p.Projected(now))!;
        // LagSeconds of the pace absorbs the reports' phase (they are up to a second apart); LagBytes is the margin beyond.
        return (leader.Projected(now), _rule.LagBytes + _rule.LagSeconds * leader.Rate);
    }

    /// <summary>udp-sender exited: members still receiving were not served (dropped, unless they report a full stream).</summary>
    public IReadOnlyList<Event> SenderExited(bool succeeded, string sentence, DateTimeOffset now) =>
        Phase == MulticastPhase.Sending ? [new SenderEnded(succeeded, sentence, now)] : [];

    /// <summary>The transfer must stop now (the node stops, the session ended): everyone still in it is dropped.</summary>
    public IReadOnlyList<Event> Stop(string reason, DateTimeOffset now) => Phase switch
    {
        MulticastPhase.Sending => [new SenderEnded(false, reason, now)],
        MulticastPhase.Waiting => [new Abandoned(reason, now)],
        _ => [],
    };

    /// <summary>After <paramref name="decided"/>: does the transfer start (or end with nothing to send)?</summary>
    private IReadOnlyList<Event> Then(IReadOnlyList<Event> decided, DateTimeOffset now)
    {
        if (Phase != MulticastPhase.Waiting) return decided;
        var ready = In(MemberState.Ready).ToList();
        int declinedOrLeft = Count(MemberState.Declined, MemberState.Left), pending = Count(MemberState.Admitted);
        foreach (var e in decided)
            switch (e)
            {
                case MemberReady r: ready.Add(r.Computer); pending--; break;
                case MemberDeclined: declinedOrLeft++; break;
                case MemberLeft l: if (StateOf(l.Computer) == MemberState.Ready) ready.Remove(l.Computer); else pending--; declinedOrLeft++; break;
            }
        var target = waitFor > 0 ? waitFor : Math.Max(1, classroomComputers);
        if (classroomComputers > 0) target = Math.Min(target, classroomComputers - declinedOrLeft);
        var waited = now - WaitingSince;
        if (target <= 0 && ready.Count == 0 && pending == 0)
            return [.. decided, new Abandoned("Every computer of the classroom declined or left; nothing was sent.", now)];
        if (ready.Count > 0 && ready.Count >= target)
            return [.. decided, new SendingStarted([.. ready.Order(StringComparer.OrdinalIgnoreCase)], $"{ready.Count} of {Math.Max(target, ready.Count)} computers joined.", now)];
        if (waited >= maxWait)
        {
            if (ready.Count > 0)
                return [.. decided, new SendingStarted([.. ready.Order(StringComparer.OrdinalIgnoreCase)],
                    $"The maximum wait of {(int)maxWait.TotalSeconds} s passed with {ready.Count} of {target} computers joined.", now)];
            if (pending == 0)
                return [.. decided, new Abandoned($"No computer joined within the maximum wait of {(int)maxWait.TotalSeconds} s; nothing was sent.", now)];
        }
        return decided;
    }

    // ---- transitions ----------------------------------------------------------------------------------------------------

    public void Apply(Event e)
    {
        switch (e)
        {
            case MemberAdmitted a: _members[a.Computer] = MemberState.Admitted; break;
            case MemberDeclined d: _members[d.Computer] = MemberState.Declined; _notes[d.Computer] = d.Reason; break;
            case MemberReady r: _members[r.Computer] = MemberState.Ready; break;
            case MemberLate l: _members[l.Computer] = MemberState.Late; _notes[l.Computer] = l.Reason; break;
            case SendingStarted s:
                Phase = MulticastPhase.Sending; StartedAt = s.At; Note = s.Reason;
                foreach (var m in s.Members) { _members[m] = MemberState.Receiving; _positions[m] = new Position(0, 0, 0, s.At, s.At, null); }
                foreach (var m in In(MemberState.Admitted)) { _members[m] = MemberState.Late; _notes[m] = $"{m} was not ready when the multicast started."; }
                break;
            case SenderEnded end:
                Phase = MulticastPhase.Done; EndedAt = end.At; Note = $"{Note} {end.Sentence}".Trim();
                foreach (var m in In(MemberState.Admitted, MemberState.Ready)) { _members[m] = MemberState.Late; _notes[m] = end.Sentence; }
                break;
            case MemberReceived r: _members[r.Computer] = MemberState.Received; break;
            case MemberDropped d: _members[d.Computer] = MemberState.Dropped; _notes[d.Computer] = d.Reason; break;
            case MemberLeft l: _members[l.Computer] = MemberState.Left; _notes[l.Computer] = l.Reason; break;
            case MemberProgressed p:
            {
                var before = _positions.GetValueOrDefault(p.Computer) ?? new Position(0, 0, 0, p.At, p.At, null);
                var moved = p.Bytes > before.Bytes ? p.At : before.AdvancedAt;
                // The rate between its last two reports (the class's pace now), not the job's average since it began.
                var seconds = (p.At - before.At).TotalSeconds;
                var rate = before.Bytes > 0 && seconds >= 0.2 ? Math.Max(0, p.Bytes - before.Bytes) / seconds : p.BytesPerSecond;
                var now = before with { Bytes = Math.Max(p.Bytes, before.Bytes), TotalBytes = p.TotalBytes, Rate = rate, At = p.At, AdvancedAt = moved };
                _positions[p.Computer] = now;
                // Behind or not, judged at this report against where the others are now (projected at their rates).
                var (leader, threshold) = Lag(p.At);
                var behind = !now.Complete && leader - now.Bytes > threshold;
                _positions[p.Computer] = now with { BehindSince = behind ? before.BehindSince ?? p.At : null };
                break;
            }
            case StragglerDropped d: _members[d.Computer] = MemberState.Dropped; _notes[d.Computer] = d.Reason; break;
            case Abandoned a:
                Phase = MulticastPhase.Done; EndedAt = a.At; Note = a.Reason;
                foreach (var m in In(MemberState.Admitted, MemberState.Ready)) { _members[m] = MemberState.Late; _notes[m] = a.Reason; }
                break;
        }
    }

    public string NoteOf(string computer) => _notes.GetValueOrDefault(computer, "");

    /// <summary>The transfer at a glance, for the session's view.</summary>
    public MulticastStatus Status(string repository, double senderRate, long senderBytes) =>
        new(SessionId, Classroom, repository, Group, Port, Phase,
            Count(MemberState.Ready, MemberState.Receiving, MemberState.Received, MemberState.Dropped), Target, WaitingSince, StartedAt, EndedAt,
            In(MemberState.Ready, MemberState.Receiving, MemberState.Received, MemberState.Dropped), In(MemberState.Late), In(MemberState.Dropped),
            In(MemberState.Declined), senderRate, senderBytes, Note);
}

/// <summary>
/// When a receiving member holds the class back and is dropped (see <see cref="MulticastSessionState"/>'s drop rule);
/// <c>og.repository.multicast.stragglers.*</c>.
/// </summary>
/// <param name="LagBytes">Behind the leader by more than this plus <paramref name="LagSeconds"/> of its rate…</param>
/// <param name="Grace">…for this long: dropped.</param>
/// <param name="StallTimeout">No progress for this long while another member advanced: dropped.</param>
public sealed record StragglerRule(long LagBytes, double LagSeconds, TimeSpan Grace, TimeSpan StallTimeout)
{
    public static readonly StragglerRule Default = new(3L << 20, 1.0, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10));
}
