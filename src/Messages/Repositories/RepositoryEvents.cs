namespace OgActors.Messages.Repositories;

/// <summary>
/// What repository nodes publish to the cluster (DistributedPubSub topic <see cref="Topics.RepositoryFiles"/>)
/// about the image files in their images directory. The coordinator links Image entities from these.
/// </summary>
public interface IRepositoryFileEvent : IOgMessage
{
    string Repository { get; }
}

/// <summary>What inspection found in an image file (Imaging's PartitionImageInfo, as a contract).</summary>
[Manifest("repo.file-info")]
public sealed record ImageFileInfo(
    string Tool, string Compressor, string Filesystem, long RequiredSizeKiB, long UsedBytes, string OgLine) : IOgMessage;

/// <summary>NAME.img was incorporated: inspected, hashed, its sidecars written.</summary>
[Manifest("repo.file-available")]
public sealed record ImageFileAvailable(
    string Repository,
    string CanonicalName,     // file name without .img
    string Folder,            // OU sub-folder ("" at the root)
    ImageFileInfo Info,
    string Sum,               // MD5 of the last MiB
    string FullSum,           // MD5 of the whole file
    string InfoHash,          // torrent info-hash
    long Size,
    DateTimeOffset ModifiedAt,
    string UploadedBy = "") : IRepositoryFileEvent;   // "pc01 in session S" when a create-image job uploaded this content; "" otherwise

/// <summary>NAME.img disappeared (deleted or renamed away).</summary>
[Manifest("repo.file-removed")]
public sealed record ImageFileRemoved(string Repository, string CanonicalName, string Folder, DateTimeOffset At)
    : IRepositoryFileEvent;

/// <summary>NAME.img could not be incorporated; the file is kept untouched and an error sidecar written.</summary>
[Manifest("repo.file-rejected")]
public sealed record ImageFileRejected(string Repository, string CanonicalName, string Folder, string Reason, DateTimeOffset At)
    : IRepositoryFileEvent;

public static class Topics
{
    /// <summary>DistributedPubSub topic of <see cref="IRepositoryFileEvent"/>s.</summary>
    public const string RepositoryFiles = "og.repository.files";

    /// <summary>DistributedPubSub topic of <see cref="RepositoryAnnounced"/> (repositories → coordinators).</summary>
    public const string Repositories = "og.repositories";

    /// <summary>DistributedPubSub topic of <see cref="RequestRepositoryAnnouncements"/> (coordinators → repositories).</summary>
    public const string RepositoryDiscovery = "og.repositories.discovery";
}
