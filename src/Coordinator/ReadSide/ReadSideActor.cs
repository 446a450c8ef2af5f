using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using OgActors.Coordinator.Audit;
using OgActors.Messages.ReadSide;

namespace OgActors.Coordinator.ReadSide;

/// <summary>
/// A coordinator's read side: owns its <see cref="ReadModel"/> and feeds it from the journal in order (<c>CurrentAllEvents</c>
/// from the offset it has reached; the model keeps the audited events — those the <see cref="AuditTagger"/> tags — and skips
/// the rest). A query first reads what was written since (a catch-up: O(new events)), then answers from the model
/// (O(answer)); queries that arrive during a catch-up wait for the next one, so every answer includes what was acknowledged
/// before it was asked. A timer catches up every <see cref="ReadSideSettings.Interval"/> so the first query after a quiet
/// spell has little to read.
/// <para>Its start: the latest stored snapshot of the model (<see cref="ReadModelSnapshot"/>, persistence id
/// <see cref="SnapshotId"/>, sequence number = its journal offset) is loaded first, so a starting coordinator reads only
/// what was written after it; after a catch-up that applied <see cref="ReadSideSettings.SnapshotEvery"/> events or more
/// since the last one, the model is stored again (older snapshots are deleted). Every coordinator reads and writes the same
/// snapshots: for one offset the model is the same on each. No snapshot, or one of another layout: the journal is read
/// from the beginning.</para>
/// </summary>
public sealed class ReadSideActor : ReceiveActor, IWithTimers
{
    public const string Name = "read-side";

    /// <summary>The persistence id the read model's snapshots are stored under.</summary>
    public const string SnapshotId = "read-side";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ReadModel _model = new();
    private readonly SqlReadJournal _journal;
    private readonly IActorRef _snapshots;
    private readonly ReadSideSettings _settings;
    private List<(IActorRef ReplyTo, IReadSideQuery Query)> _waiting = [];   // answered after the next catch-up
    private List<(IActorRef ReplyTo, IReadSideQuery Query)> _reading = [];   // answered when the running catch-up ends
    private bool _catchingUp = true; // until the snapshot is loaded
    private long _sinceSnapshot;
    private bool _saving;

    public ITimerScheduler Timers { get; set; } = null!;

    public ReadSideActor(string readJournalPluginId, ReadSideSettings settings)
    {
        _settings = settings;
        _journal = PersistenceQuery.Get(Context.System).ReadJournalFor<SqlReadJournal>(readJournalPluginId);
        _snapshots = Akka.Persistence.Persistence.Instance.Apply(Context.System).SnapshotStoreFor(null);
        Receive<IReadSideQuery>(q => { _waiting.Add((Sender, q)); if (!_catchingUp) CatchUp(); });
        Receive<Tick>(_ => { if (!_catchingUp) CatchUp(); });
        Receive<LoadSnapshotResult>(r => Loaded(r.Snapshot));
        Receive<LoadSnapshotFailed>(f =>
        {
            _log.Warning("The read side could not load its snapshot ({0}); it reads the journal from the beginning.", f.Cause.Message);
            Loaded(null);
        });
        Receive<Batch>(b =>
        {
            foreach (var e in b.Envelopes) _model.Apply(e.Event, e.Offset is Sequence s ? s.Value : 0);
            _sinceSnapshot += b.Envelopes.Count;
            Sender.Tell(Ack.Instance);
        });
        Receive<StreamStarted>(_ => Sender.Tell(Ack.Instance));
        Receive<CaughtUp>(_ => Done());
        Receive<CatchUpFailed>(f =>
        {
            _log.Warning("The read side could not read the journal after offset {0}: {1}", _model.Offset, f.Cause.Message);
            Done();
        });
        Receive<SaveSnapshotSuccess>(s =>
        {
            _saving = false;
            _snapshots.Tell(new DeleteSnapshots(SnapshotId, new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        });
        Receive<SaveSnapshotFailure>(f =>
        {
            _saving = false;
            _log.Warning("The read side could not store its snapshot at offset {0}: {1}", f.Metadata.SequenceNr, f.Cause.Message);
        });
        Receive<DeleteSnapshotsSuccess>(_ => { });
        Receive<DeleteSnapshotsFailure>(f => _log.Warning("The read side could not delete its old snapshots: {0}", f.Cause.Message));
    }

    public static Props Props(string readJournalPluginId, ReadSideSettings? settings = null) =>
        Akka.Actor.Props.Create(() => new ReadSideActor(readJournalPluginId, settings ?? new ReadSideSettings()));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("catch-up", Tick.Instance, _settings.Interval);
        if (_settings.SnapshotEvery > 0) _snapshots.Tell(new LoadSnapshot(SnapshotId, SnapshotSelectionCriteria.Latest, long.MaxValue));
        else Loaded(null);
    }

    private void Loaded(SelectedSnapshot? selected)
    {
        if (selected?.Snapshot is ReadModelSnapshot snapshot)
        {
            if (ReadModel.FromSnapshot(snapshot) is { } model)
            {
                _model = model;
                _log.Info("The read side starts from its snapshot at offset {0} ({1} sessions).", model.Offset, model.SessionCount);
            }
            else _log.Info("The read side's snapshot has layout {0}, not {1}: it reads the journal from the beginning.", snapshot.Format, ReadModel.SnapshotFormat);
        }
        CatchUp();
    }

    private void CatchUp()
    {
        _catchingUp = true;
        (_reading, _waiting) = (_waiting, []);
        var offset = _model.Offset == 0 ? Offset.NoOffset() : Offset.Sequence(_model.Offset);
        _journal.CurrentAllEvents(offset)
            .GroupedWithin(_settings.BatchSize, TimeSpan.FromMilliseconds(50))
            .Select(envelopes => new Batch(envelopes.ToList()))
            .RunWith(Sink.ActorRefWithAck<Batch>(Self, StreamStarted.Instance, Ack.Instance, CaughtUp.Instance, e => new CatchUpFailed(e)),
                Context.System.Materializer());
    }

    private void Done()
    {
        _catchingUp = false;
        foreach (var (replyTo, query) in _reading) replyTo.Tell(Answer(query));
        _reading = [];
        if (_settings.SnapshotEvery > 0 && _sinceSnapshot >= _settings.SnapshotEvery && !_saving) Save();
        if (_waiting.Count > 0) CatchUp();
    }

    private void Save()
    {
        _saving = true;
        _sinceSnapshot = 0;
        var snapshot = _model.ToSnapshot();
        _snapshots.Tell(new SaveSnapshot(new SnapshotMetadata(SnapshotId, snapshot.Offset, DateTime.UtcNow), snapshot));
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
    private sealed record Batch(IReadOnlyList<EventEnvelope> Envelopes) : INoSerializationVerificationNeeded;
    private sealed class Ack : INoSerializationVerificationNeeded { public static readonly Ack Instance = new(); }
    private sealed class StreamStarted : INoSerializationVerificationNeeded { public static readonly StreamStarted Instance = new(); }
    private sealed class CaughtUp : INoSerializationVerificationNeeded { public static readonly CaughtUp Instance = new(); }
    private sealed record CatchUpFailed(Exception Cause) : INoSerializationVerificationNeeded;
    private sealed class Tick : INoSerializationVerificationNeeded { public static readonly Tick Instance = new(); }
}

/// <summary>
/// How the read side reads the journal: events per batch, how often it catches up unasked, and after how many events read
/// it stores a snapshot of its model (0: never, and none is loaded).
/// </summary>
public sealed record ReadSideSettings(int BatchSize = 5000, TimeSpan? Every = null, int SnapshotEvery = 10_000)
{
    public TimeSpan Interval => Every ?? TimeSpan.FromSeconds(2);
}

/// <summary>The registry key of a node's <see cref="ReadSideActor"/>.</summary>
public sealed class ReadSideKey;
