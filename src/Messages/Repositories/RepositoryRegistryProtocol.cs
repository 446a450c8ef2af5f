namespace OgActors.Messages.Repositories;

/// <summary>Queries the coordinator's RepositoryRegistryActor answers.</summary>
public interface IRepositoryRegistryQuery : IOgMessage;

/// <summary>Reply: <see cref="RepositoryList"/>; computers' caches registered as repositories only when asked for.</summary>
[Manifest("repo.registry.list")]
public sealed record ListRepositories(bool IncludeComputerCaches = true) : IRepositoryRegistryQuery;

/// <summary>The coordinator's view of one repository.</summary>
[Manifest("repo.registry.status")]
public sealed record RepositoryStatus(
    string Name,
    string HttpAddress,
    long FreeBytes,
    long TotalBytes,
    bool IsComputerCache,
    bool CanBeAssigned,
    bool Online,
    DateTimeOffset LastSeen,
    IReadOnlyList<RepositoryImage> Images) : IOgMessage;

[Manifest("repo.registry.list-reply")]
public sealed record RepositoryList(IReadOnlyList<RepositoryStatus> Repositories) : IOgMessage;

/// <summary>Reply: <see cref="RepositoryStatus"/> or <see cref="Common.Refused"/> (unknown repository).</summary>
[Manifest("repo.registry.get")]
public sealed record GetRepository(string Name) : IRepositoryRegistryQuery;

/// <summary>
/// Delete an image in repository <paramref name="Repository"/> (null: the repository that holds it, if only one does).
/// Reply: the repository's <see cref="Common.Accepted"/>, or <see cref="Common.Refused"/>.
/// </summary>
[Manifest("repo.registry.delete")]
public sealed record DeleteImageIn(string? Repository, DeleteImageFile Command) : IRepositoryRegistryQuery;

/// <summary>
/// Import into repository <paramref name="Repository"/> (null: the only assignable repository).
/// Reply: the repository's <see cref="ImportCompleted"/>, or <see cref="Common.Refused"/>.
/// </summary>
[Manifest("repo.registry.import")]
public sealed record ImportImageInto(string? Repository, ImportImage Command) : IRepositoryRegistryQuery;

/// <summary>
/// The tracker view of repository <paramref name="Repository"/>: the registry forwards <paramref name="Query"/> to it.
/// Reply: the repository's <see cref="TrackerView"/>, or <see cref="Common.Refused"/> (unknown, offline, no tracker).
/// </summary>
[Manifest("repo.registry.tracker")]
public sealed record GetTrackerViewIn(string Repository, GetTrackerView Query) : IRepositoryRegistryQuery;
