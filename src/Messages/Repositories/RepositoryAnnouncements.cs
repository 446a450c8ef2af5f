using Akka.Actor;

namespace OgActors.Messages.Repositories;

/// <summary>Where an image stands in its repository's catalog.</summary>
public enum ImageFileState
{
    /// <summary>Seen, waiting for the file to settle or being inspected and hashed.</summary>
    Processing,
    /// <summary>Incorporated: inspected, sidecars written, served.</summary>
    Ready,
    /// <summary>Inspection failed; see the error sidecar. The file is kept untouched.</summary>
    Error,
    /// <summary>NAME.img.lock sits beside it (someone else is writing it): never read.</summary>
    Locked,
    /// <summary>Being decompressed and walked to its end (deep verification) while its sums are computed; not served yet.</summary>
    Verifying,
}

/// <summary>One image of a repository's catalog, as announced and listed.</summary>
[Manifest("repo.image")]
public sealed record RepositoryImage(
    string CanonicalName,
    string Folder,
    ImageFileState State,
    long Size,
    DateTimeOffset ModifiedAt,
    ImageFileInfo? Info,
    string? Sum,
    string? FullSum,
    string? InfoHash,
    string? Error,
    DateTimeOffset StateSince,
    int? VerifiedPercent = null) : IOgMessage;

/// <summary>
/// A repository says who and where it is, and what it holds. Sent on start, on every change of its
/// catalog and periodically (topic <see cref="Topics.Repositories"/>), or straight to a coordinator
/// (a computer's cache registered as a repository). <paramref name="Repository"/> is the actor that
/// answers <see cref="IRepositoryCommand"/>s.
/// </summary>
[Manifest("repo.announced")]
public sealed record RepositoryAnnounced(
    string Name,
    string HttpAddress,
    long FreeBytes,
    long TotalBytes,
    bool IsComputerCache,
    IReadOnlyList<RepositoryImage> Images,
    IActorRef Repository,
    DateTimeOffset At) : IOgMessage;

/// <summary>A coordinator (re)started and wants every repository to announce itself now.</summary>
[Manifest("repo.announce-please")]
public sealed record RequestRepositoryAnnouncements(DateTimeOffset At) : IOgMessage;

/// <summary>
/// A coordinator's file linker saw a ready content in an announcement that it never heard become available (its
/// <see cref="ImageFileAvailable"/> went out over DistributedPubSub before the linker's subscription reached the
/// repository): the repository answers the asker directly with one <see cref="ImageFileAvailable"/> per ready image.
/// </summary>
[Manifest("repo.files-please")]
public sealed record RequestImageFiles(DateTimeOffset At) : IOgMessage;
