using Akka.Actor;
using Akka.Event;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using OgActors.Coordinator.Audit;
using OgActors.Messages.ReadSide;

namespace OgActors.Coordinator.ReadSide;

/// <summary>
/// A coordinator's read side: owns its <see cref="ReadModel"/> and feeds it from the journal's <c>audit</c> tag
/// (every domain event carries it, <see cref="AuditTagger"/>) with <c>CurrentEventsByTag</c> from the offset it has reached.
/// A query first reads what was written since (a catch-up: O(new events)), then answers from the model (O(answer)); queries
/// that arrive during a catch-up wait for the next one, so every answer includes what was acknowledged before it was asked.
/// A timer catches up every <see cref="ReadSideSettings.Interval"/> so the first query after a quiet spell has little to read.
/// One per coordinator node, local (it is cheap to rebuild: the offset is kept in memory and the node reads the journal
/// from the beginning once when it starts).
/// </summary>
public sealed class ReadSideActor : ReceiveActor, IWithTimers
{
    public const string Name = "read-side";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ReadModel _model = new();
    private readonly SqlReadJournal _journal;
    private readonly ReadSideSettings _settings;
    private List<(IActorRef ReplyTo, IReadSideQuery Query)> _waiting = [];   // answered after the next catch-up
    private List<(IActorRef ReplyTo, IReadSideQuery Query)> _reading = [];   // answered when the running catch-up ends
    private bool _catchingUp;

    public ITimerScheduler Timers { get; set; } = null!;

    public ReadSideActor(string readJournalPluginId, ReadSideSettings settings)
    {
        _settings = settings;
        _journal = PersistenceQuery.Get(Context.System).ReadJournalFor<SqlReadJournal>(readJournalPluginId);
        Receive<IReadSideQuery>(q => { _waiting.Add((Sender, q)); if (!_catchingUp) CatchUp(); });
        Receive<Tick>(_ => { if (!_catchingUp) CatchUp(); });
        Receive<Batch>(b =>
        {
            foreach (var e in b.Envelopes) _model.Apply(e.Event, e.Offset is Sequence s ? s.Value : 0);
            Sender.Tell(Ack.Instance);
        });
        Receive<StreamStarted>(_ => Sender.Tell(Ack.Instance));
        Receive<CaughtUp>(_ => Done());
        Receive<CatchUpFailed>(f =>
        {
            _log.Warning("The read side could not read the journal after offset {0}: {1}", _model.Offset, f.Cause.Message);
            Done();
        });
    }

    public static Props Props(string readJournalPluginId, ReadSideSettings? settings = null) =>
        Akka.Actor.Props.Create(() => new ReadSideActor(readJournalPluginId, settings ?? new ReadSideSettings()));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("catch-up", Tick.Instance, _settings.Interval);
        CatchUp();
    }

    private void CatchUp()
    {
        _catchingUp = true;
        (_reading, _waiting) = (_waiting, []);
        var offset = _model.Offset == 0 ? Offset.NoOffset() : Offset.Sequence(_model.Offset);
        _journal.CurrentEventsByTag(AuditTags.All, offset)
            .GroupedWithin(_settings.BatchSize, TimeSpan.FromMilliseconds(50))
            .Select(envelopes => new Batch(envelopes))
            .RunWith(Sink.ActorRefWithAck<Batch>(Self, StreamStarted.Instance, Ack.Instance, CaughtUp.Instance, e => new CatchUpFailed(e)),
                Context.System.Materializer());
    }

    private void Done()
    {
        _catchingUp = false;
        foreach (var (replyTo, query) in _reading) replyTo.Tell(Answer(query));
        _reading = [];
        if (_waiting.Count > 0) CatchUp();
    }

    private object Answer(IReadSideQuery query) => query switch
    {
        ListSessionSummaries => new SessionSummaries(_model.Sessions(), _model.Offset),
        ListClassroomViews => new ClassroomViews(_model.Classrooms(), _model.Offset),
        GetClassroomViews q => new ClassroomViews(_model.Classrooms(q.Names, q.Computers ?? []), _model.Offset),
        ListImageViews => new ImageViews(_model.Images(), _model.Offset),
        FindComputerClassroom q => new ComputerClassroom(q.Name, _model.ClassroomOf(q.Name), _model.Offset),
        _ => throw new ArgumentOutOfRangeException(nameof(query), query.GetType().Name),
    };

    // the catch-up stream's own messages: they never leave this actor
    private sealed record Batch(IEnumerable<EventEnvelope> Envelopes) : INoSerializationVerificationNeeded;
    private sealed class Ack : INoSerializationVerificationNeeded { public static readonly Ack Instance = new(); }
    private sealed class StreamStarted : INoSerializationVerificationNeeded { public static readonly StreamStarted Instance = new(); }
    private sealed class CaughtUp : INoSerializationVerificationNeeded { public static readonly CaughtUp Instance = new(); }
    private sealed record CatchUpFailed(Exception Cause) : INoSerializationVerificationNeeded;
    private sealed class Tick : INoSerializationVerificationNeeded { public static readonly Tick Instance = new(); }
}

/// <summary>How the read side reads the journal: events per batch, and how often it catches up unasked.</summary>
public sealed record ReadSideSettings(int BatchSize = 1000, TimeSpan? Every = null)
{
    public TimeSpan Interval => Every ?? TimeSpan.FromSeconds(2);
}

/// <summary>The registry key of a node's <see cref="ReadSideActor"/>.</summary>
public sealed class ReadSideKey;
