using OgActors.Messages.Repositories;

namespace OgActors.Messages.Profiles;

/// <summary>
/// A repository read the software profile of its NAME.img (after it became ready), published on
/// <see cref="Topics.RepositoryFiles"/> like the file events; the coordinator attaches it to the image of the same name.
/// Published again, from the repository's NAME.img.profile.json, when the file is announced again or a coordinator starts.
/// </summary>
[Manifest("profile.read")]
public sealed record ImageProfileRead(string Repository, string CanonicalName, string Folder, SoftwareProfile Profile) : IRepositoryFileEvent;

/// <summary>
/// Where a repository's extraction of NAME.img's profile is: "queued", "restoring" (with the percent of the image
/// restored to scratch), "reading", or "failed" with <paramref name="Reason"/>. Live only (never journaled).
/// </summary>
[Manifest("profile.progress")]
public sealed record ImageProfileProgress(
    string Repository, string CanonicalName, string Folder, string FullSum, string Stage, int Percent, string Reason, DateTimeOffset At)
    : IRepositoryFileEvent;
