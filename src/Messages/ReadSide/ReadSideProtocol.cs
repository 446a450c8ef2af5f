using OgActors.Messages.Classrooms;
using OgActors.Messages.Images;
using OgActors.Messages.Sessions;

namespace OgActors.Messages.ReadSide;

/// <summary>
/// Queries to a coordinator's read side (the listings projected from the tagged journal). Every answer says up to which
/// journal offset it has read (<c>Offset</c>); the read side first reads what was written since its last query, so an
/// answer includes every change acknowledged before the query was sent.
/// </summary>
public interface IReadSideQuery : IOgMessage;

[Manifest("readside.list-sessions")]
public sealed record ListSessionSummaries : IReadSideQuery;

/// <summary>Every session, newest first.</summary>
[Manifest("readside.sessions")]
public sealed record SessionSummaries(IReadOnlyList<SessionSummary> Sessions, long Offset) : IOgMessage;

[Manifest("readside.list-classrooms")]
public sealed record ListClassroomViews : IReadSideQuery;

/// <summary>Every defined classroom, by name.</summary>
[Manifest("readside.classrooms")]
public sealed record ClassroomViews(IReadOnlyList<ClassroomView> Classrooms, long Offset) : IOgMessage;

[Manifest("readside.list-images")]
public sealed record ListImageViews : IReadSideQuery;

/// <summary>Every defined image, by canonical name.</summary>
[Manifest("readside.images")]
public sealed record ImageViews(IReadOnlyList<ImageView> Images, long Offset) : IOgMessage;

/// <summary>Which classroom holds the computer <paramref name="Name"/> (names are unique across classrooms).</summary>
[Manifest("readside.find-computer")]
public sealed record FindComputerClassroom(string Name) : IReadSideQuery;

/// <summary><paramref name="Classroom"/> null: no classroom holds the computer.</summary>
[Manifest("readside.computer-classroom")]
public sealed record ComputerClassroom(string Name, ClassroomView? Classroom, long Offset) : IOgMessage;

/// <summary>
/// The classrooms named (case-insensitively) that exist, and those holding the computers named, by name: the planner's
/// scope resolution, in one read.
/// </summary>
[Manifest("readside.get-classrooms")]
public sealed record GetClassroomViews(IReadOnlyList<string> Names, IReadOnlyList<string>? Computers = null) : IReadSideQuery;
