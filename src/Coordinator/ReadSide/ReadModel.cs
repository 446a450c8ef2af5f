using OgActors.Coordinator.Classrooms;
using OgActors.Coordinator.Images;
using OgActors.Coordinator.Sessions;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Images;
using OgActors.Messages.ReadSide;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.ReadSide;

/// <summary>
/// The coordinator's listings as projected from the journal (pure state, no actor): every session's summary, every
/// classroom's view with an index computer → classroom, every image's view. Each journaled event changes only the entry it
/// concerns, through the same transitions the entities apply (<see cref="SessionState"/>, <see cref="ClassroomState"/>,
/// <see cref="ImageState"/>), so a listing costs the size of its answer, never a replay of the history.
/// <para>What is not journaled is not here: a job's live progress and why it waits, and a profile being read; those
/// the entity itself answers (<c>session show</c>, <c>image show</c>).</para>
/// </summary>
public sealed class ReadModel
{
    /// <summary>The layout of <see cref="ReadModelSnapshot"/> this model writes and reads.</summary>
    public const int SnapshotFormat = 1;

    private static readonly StringComparer Names = StringComparer.OrdinalIgnoreCase;

    private readonly Dictionary<string, OpenSession> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SessionSummary> _summaries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stale = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClassroomView> _classrooms = new(Names);
    private readonly Dictionary<string, string> _classroomOfComputer = new(Names);
    private readonly Dictionary<string, ImageState> _images = new(StringComparer.Ordinal);
    private IReadOnlyList<SessionSummary>? _sorted;

    /// <summary>A running session: its state, and its events (what a snapshot stores of it).</summary>
    private sealed record OpenSession(SessionState State, SessionCreated Created, List<ComputerJobStarted> Started, List<ComputerJobFinished> Finished);

    /// <summary>The journal offset (ordering) of the last event applied; 0 before the first.</summary>
    public long Offset { get; private set; }

    /// <summary>Events read since this model was created or restored (those of other kinds included).</summary>
    public long Applied { get; private set; }

    public int SessionCount => _summaries.Count;

    public void Apply(object evt, long offset)
    {
        switch (evt)
        {
            case SessionCreated e:
                _open[e.SessionId] = new OpenSession(SessionState.Create(e), e, [], []);
                Changed(e.SessionId);
                break;
            case ISessionEvent e when _open.TryGetValue(e.SessionId, out var session):
                session.State.Apply(e);
                if (e is ComputerJobStarted started) session.Started.Add(started);
                else if (e is ComputerJobFinished finished) session.Finished.Add(finished);
                Changed(e.SessionId);
                if (e is SessionFinished)
                {
                    // an ended session never changes again: keep its listing line only
                    _summaries[e.SessionId] = SessionSummary.Of(session.State.View());
                    _stale.Remove(e.SessionId);
                    _open.Remove(e.SessionId);
                }
                break;
            case IClassroomEvent e:
                var before = _classrooms.GetValueOrDefault(e.Classroom);
                if (before is null && e is not ClassroomDefined) break; // the entity refuses that; an old journal may not
                var room = ClassroomState.Apply(before, e)!;
                _classrooms[room.Name] = room;
                if (e is ClassroomDefined or ComputerAdded or ComputerRemoved) Index(before, room);
                break;
            case IImageEvent e:
                _images[e.Canonical] = _images.GetValueOrDefault(e.Canonical, ImageState.Empty).Apply(e);
                break;
        }
        Offset = Math.Max(Offset, offset);
        Applied++;
    }

    private void Changed(string session)
    {
        _stale.Add(session);
        _sorted = null;
    }

    /// <summary>Every session, newest first (the summaries changed since the last listing are recomputed, once each).</summary>
    public IReadOnlyList<SessionSummary> Sessions()
    {
        if (_sorted is not null) return _sorted;
        foreach (var id in _stale) _summaries[id] = SessionSummary.Of(_open[id].State.View());
        _stale.Clear();
        return _sorted = [.. _summaries.Values.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.SessionId, StringComparer.Ordinal)];
    }

    public IReadOnlyList<ClassroomView> Classrooms() => [.. _classrooms.Values.OrderBy(c => c.Name)];

    /// <summary>The classrooms named that exist and those holding the computers named.</summary>
    public IReadOnlyList<ClassroomView> Classrooms(IEnumerable<string> names, IEnumerable<string> computers) =>
    [
        .. names.Select(n => _classrooms.GetValueOrDefault(n)).Concat(computers.Select(ClassroomOf))
            .OfType<ClassroomView>().DistinctBy(c => c.Name).OrderBy(c => c.Name),
    ];

    public ClassroomView? ClassroomOf(string computer) =>
        _classroomOfComputer.TryGetValue(computer, out var room) ? _classrooms.GetValueOrDefault(room) : null;

    /// <summary>Every defined image, by canonical name, with the summary of its current revision's profile as journaled.</summary>
    public IReadOnlyList<ImageView> Images() =>
    [
        .. _images.Values.Where(s => s.View is not null).OrderBy(s => s.Definition!.Canonical)
            .Select(s => s.View! with { Profile = ImageProfiles.Summary(s, NoProgress) }),
    ];

    private static readonly IReadOnlyDictionary<string, OgActors.Messages.Images.NoteImageProfileProgress> NoProgress =
        new Dictionary<string, OgActors.Messages.Images.NoteImageProfileProgress>();

    /// <summary>The model as a snapshot (a copy: the model goes on changing).</summary>
    public ReadModelSnapshot ToSnapshot() => new(SnapshotFormat, Offset,
        [.. _summaries.Where(kv => !_open.ContainsKey(kv.Key)).Select(kv => kv.Value)],
        [.. _open.Values.Select(o => new OpenSessionEvents(o.Created, [.. o.Started], [.. o.Finished]))],
        [.. _classrooms.Values],
        [.. _images.Select(kv => new ImageStateSnapshot(kv.Key, kv.Value.Definition, kv.Value.Copies, kv.Value.RevisionBySum, kv.Value.Profiles))]);

    /// <summary>A model as it was when <paramref name="snapshot"/> was taken (null: a snapshot of another layout).</summary>
    public static ReadModel? FromSnapshot(ReadModelSnapshot snapshot)
    {
        if (snapshot.Format != SnapshotFormat) return null;
        var model = new ReadModel();
        foreach (var s in snapshot.Ended) model._summaries[s.SessionId] = s;
        foreach (var open in snapshot.Open)
        {
            // each computer's job starts and finishes at most once, and never starts after it finished: starts, then finishes
            model.Apply(open.Created, 0);
            foreach (var e in open.Started) model.Apply(e, 0);
            foreach (var e in open.Finished) model.Apply(e, 0);
        }
        foreach (var room in snapshot.Classrooms)
        {
            model._classrooms[room.Name] = room;
            model.Index(null, room);
        }
        foreach (var image in snapshot.Images)
            model._images[image.Canonical] = new ImageState(image.Definition, image.Copies, image.RevisionBySum) { Profiles = image.Profiles };
        model.Offset = snapshot.Offset;
        model.Applied = 0;
        model._sorted = null;
        return model;
    }

    private void Index(ClassroomView? before, ClassroomView after)
    {
        if (before is not null)
            foreach (var pc in before.Computers) _classroomOfComputer.Remove(pc.Name);
        foreach (var pc in after.Computers) _classroomOfComputer[pc.Name] = after.Name;
    }
}
