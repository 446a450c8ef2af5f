using OgActors.Messages.Repositories;

namespace OgActors.Messages.Images;

/// <summary>The image file as one repository holds it, and which revision of the image its content is.</summary>
[Manifest("image.copy")]
public sealed record ImageFileCopy(
    string Repository, string Folder, ImageFileInfo Info, string Sum, string FullSum, string InfoHash,
    long Size, DateTimeOffset ModifiedAt, int Revision, string State = "ready", string Error = "") : IOgMessage;

/// <summary>An image object as operators see it. <paramref name="Copies"/> empty = not linked to any file.</summary>
[Manifest("image.view")]
public sealed record ImageView(
    string Canonical, string DisplayName, string SoftwareProfile, int Partition, string PartitionType,
    string Repository, string Comments, int Revision, IReadOnlyList<ImageFileCopy> Copies,
    DateTimeOffset DefinedAt, string DefinedBy,
    IReadOnlyDictionary<string, int>? Revisions = null, // full sum → revision of every content the image has had
    Profiles.ProfileSummary? Profile = null) : IOgMessage; // the software profile read from the current revision (or its extraction's status)
