using OgActors.Messages.Repositories;

namespace OgActors.Coordinator.Repositories;

/// <summary>
/// What the repository registry (the repositories' own announcements) says about a repository a command names, before
/// anything is persisted: that it exists, that it is running, and that it can take what the command wants of it. Pure
/// rules over the registry's list; one sentence per refusal.
/// </summary>
public static class RepositoryCheck
{
    /// <summary>An image object may be defined only on a repository that has announced itself (running or not), not on a computer's cache.</summary>
    public static string? CheckDefinable(IReadOnlyList<RepositoryStatus> known, string repository)
    {
        if (Find(known, repository) is not { } found) return Unknown(known, repository);
        if (found.IsComputerCache) return $"Repository {repository} is a computer's cache; an image is defined on a repository.";
        return null;
    }

    /// <summary>
    /// A session may use a repository only when it has announced itself and is running now: <paramref name="consequence"/>
    /// says what could not happen otherwise ("pc01 cannot fetch image win11 from it").
    /// </summary>
    public static string? CheckRunning(IReadOnlyList<RepositoryStatus> known, string repository, string consequence)
    {
        if (Find(known, repository) is not { } found) return Unknown(known, repository);
        if (!found.Online)
            return $"Repository {repository} is not running (its last announcement was at {found.LastSeen.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC), so {consequence}.";
        return null;
    }

    /// <summary>A create-image job uploads into a running repository, never into a computer's cache.</summary>
    public static string? CheckUploadable(IReadOnlyList<RepositoryStatus> known, string repository, string consequence)
    {
        if (CheckRunning(known, repository, consequence) is { } bad) return bad;
        return Find(known, repository)!.IsComputerCache
            ? $"Repository {repository} is a computer's cache, which takes no uploads; create the image in a repository."
            : null;
    }

    public static string Unknown(IReadOnlyList<RepositoryStatus> known, string repository)
    {
        var names = known.Where(r => !r.IsComputerCache).Select(r => r.Name).Order(StringComparer.Ordinal).ToList();
        return $"There is no repository named {repository}" + (names.Count == 0
            ? "; no repository has announced itself to the coordinator."
            : $"; known: {string.Join(", ", names)}.");
    }

    private static RepositoryStatus? Find(IReadOnlyList<RepositoryStatus> known, string repository) =>
        known.FirstOrDefault(r => r.Name.Equals(repository, StringComparison.Ordinal));
}
