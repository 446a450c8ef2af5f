using OgActors.Coordinator.Classrooms;
using OgActors.Coordinator.Images;
using OgActors.Coordinator.Sessions;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Images;
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
    private static readonly StringComparer Names = StringComparer.OrdinalIgnoreCase;

    private readonly Dictionary<string, SessionState> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SessionSummary> _summaries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stale = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClassroomView> _classrooms = new(Names);
    private readonly Dictionary<string, string> _classroomOfComputer = new(Names);
    private readonly Dictionary<string, ImageState> _images = new(StringComparer.Ordinal);

    /// <summary>The journal offset (ordering) of the last event applied; 0 before the first.</summary>
    public long Offset { get; private set; }

    /// <summary>Events applied since this model was created.</summary>
    public long Applied { get; private set; }

    public int SessionCount => _sessions.Count;

    public void Apply(object evt, long offset)
    {
        switch (evt)
        {
            case SessionCreated e:
                _sessions[e.SessionId] = SessionState.Create(e);
                _stale.Add(e.SessionId);
                break;
            case ISessionEvent e when _sessions.TryGetValue(e.SessionId, out var session):
                session.Apply(e);
                _stale.Add(e.SessionId);
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

    /// <summary>Every session, newest first (the summaries changed since the last listing are recomputed, once each).</summary>
    public IReadOnlyList<SessionSummary> Sessions()
    {
        foreach (var id in _stale) _summaries[id] = SessionSummary.Of(_sessions[id].View());
        _stale.Clear();
        return [.. _summaries.Values.OrderByDescending(s => s.CreatedAt)];
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

    private void Index(ClassroomView? before, ClassroomView after)
    {
        if (before is not null)
            foreach (var pc in before.Computers) _classroomOfComputer.Remove(pc.Name);
        foreach (var pc in after.Computers) _classroomOfComputer[pc.Name] = after.Name;
    }
}
