using OgActors.Messages.Audit;
using OgActors.Messages.Repositories;

namespace OgActors.Messages.Images;

public interface IImageEvent : IAuditedEvent
{
    string Canonical { get; }
}

[Manifest("image.defined")]
public sealed record ImageDefined(
    string Canonical, string DisplayName, string SoftwareProfile, int Partition, string PartitionType,
    string Repository, string Comments, string By, DateTimeOffset At) : IImageEvent;

[Manifest("image.deleted")]
public sealed record ImageDeleted(string Canonical, string By, DateTimeOffset At) : IImageEvent;

/// <summary>
/// A repository announced the file; <paramref name="Revision"/> grows with each new content (full sum).
/// <paramref name="UploadedBy"/>: "pc01 in session S" when a create-image job uploaded it (from its verified capability).
/// </summary>
[Manifest("image.file-linked")]
public sealed record ImageFileLinked(
    string Canonical, string Repository, string Folder, ImageFileInfo Info, string Sum, string FullSum,
    string InfoHash, long Size, DateTimeOffset ModifiedAt, int Revision, string By, DateTimeOffset At,
    string UploadedBy = "") : IImageEvent;

/// <summary>The repository's file no longer verifies: its copy is shown in error with the sentence, never deployed.</summary>
[Manifest("image.file-failed")]
public sealed record ImageFileFailed(string Canonical, string Repository, string Folder, string Reason, string By, DateTimeOffset At)
    : IImageEvent;

[Manifest("image.file-unlinked")]
public sealed record ImageFileUnlinked(string Canonical, string Repository, string Folder, string By, DateTimeOffset At)
    : IImageEvent;
