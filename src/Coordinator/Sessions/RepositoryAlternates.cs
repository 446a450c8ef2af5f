using OgActors.Messages.Images;
using OgActors.Messages.Repositories;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Sessions;

/// <summary>
/// Which repositories a computer may fall over to when its own goes away mid-transfer (pure rules, no actor):
/// <see cref="Copies"/> is what a session's plan keeps of the image's copies (from the Image entity's copies and the
/// repository registry's announcements), <see cref="For"/> the alternates of one job. An alternate holds the <b>same content</b>
/// as the job's repository (the same full MD5), so a partial download can resume from it and the result is the image the
/// session planned; a copy of another content is never an alternate.
/// </summary>
public static class RepositoryAlternates
{
    /// <summary>
    /// The ready copies of an image (a full sum known) on repositories that are not a computer's cache, with the unicast address each
    /// announced and the folder it holds the image in. Repositories online now come first, those known but offline after them
    /// (one may be back by the time a computer needs it; an unreachable one costs the computer one refused connection), each group
    /// by name. With <paramref name="repositories"/> known, a repository that never announced itself is left out (a computer could
    /// not be told where it is); without them (a host without the registry) every copy is kept, with no address.
    /// </summary>
    public static IReadOnlyList<RepositoryCopy> Copies(IEnumerable<ImageFileCopy> copies, IReadOnlyList<RepositoryStatus>? repositories)
    {
        var chosen = new List<(RepositoryCopy Copy, bool Online)>();
        foreach (var copy in copies.Where(c => c.State == "ready" && c.FullSum.Length > 0).DistinctBy(c => c.Repository))
        {
            var status = repositories?.FirstOrDefault(r => r.Name == copy.Repository);
            if (repositories is not null && (status is null || status.IsComputerCache)) continue;
            chosen.Add((new RepositoryCopy(copy.Repository, status?.HttpAddress ?? "", copy.Folder, copy.FullSum.ToLowerInvariant()), status?.Online ?? true));
        }
        return [.. chosen.OrderByDescending(c => c.Online).ThenBy(c => c.Copy.Repository, StringComparer.Ordinal).Select(c => c.Copy)];
    }

    /// <summary>
    /// The alternates of a job that fetches from <paramref name="primary"/>: the other copies of the plan whose full sum is the
    /// primary's copy's, in the plan's order. None when the primary's copy is not in the plan (its content unknown) or no other
    /// repository holds that content.
    /// </summary>
    public static IReadOnlyList<RepositoryCopy> For(string primary, IReadOnlyList<RepositoryCopy>? copies)
    {
        if (copies is null || copies.FirstOrDefault(c => c.Repository == primary) is not { } own) return [];
        return [.. copies.Where(c => c.Repository != primary && string.Equals(c.FullSum, own.FullSum, StringComparison.OrdinalIgnoreCase))];
    }
}
