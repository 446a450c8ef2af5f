using OgActors.Messages.Classrooms;
using OgActors.Messages.Images;
using OgActors.Messages.Profiles;
using OgActors.Messages.Sessions;

namespace OgActors.Messages.ReadSide;

/// <summary>
/// A coordinator's read model as stored in the snapshot store (persistence id <c>read-side</c>, sequence number = the
/// journal offset it has read up to), so a starting coordinator reads only the journal written after it.
/// </summary>
/// <param name="Format">The layout of this record; a snapshot of another layout is ignored and the model is rebuilt from the journal.</param>
/// <param name="Offset">The journal ordering of the last event the model applied.</param>
/// <param name="Ended">Every session that has ended, as its listing line (an ended session never changes again).</param>
/// <param name="Open">Every session still running, as the events that made it (its summary is recomputed from them).</param>
[Manifest("readside.snapshot")]
public sealed record ReadModelSnapshot(
    int Format, long Offset, IReadOnlyList<SessionSummary> Ended, IReadOnlyList<OpenSessionEvents> Open,
    IReadOnlyList<ClassroomView> Classrooms, IReadOnlyList<ImageStateSnapshot> Images) : IOgMessage;

/// <summary>A running session's events so far (each computer's job is started and finished at most once).</summary>
[Manifest("readside.open-session")]
public sealed record OpenSessionEvents(SessionCreated Created, IReadOnlyList<ComputerJobStarted> Started, IReadOnlyList<ComputerJobFinished> Finished)
    : IOgMessage;

/// <summary>An image's state as the read model holds it (the image entity's own state: definition, copies, revisions, profiles).</summary>
[Manifest("readside.image-state")]
public sealed record ImageStateSnapshot(
    string Canonical, ImageView? Definition, IReadOnlyList<ImageFileCopy> Copies, IReadOnlyDictionary<string, int> RevisionBySum,
    IReadOnlyDictionary<string, SoftwareProfile> Profiles) : IOgMessage;
