using OgActors.Messages.Common;
using OgActors.Messages.Images;
using OgActors.Messages.Profiles;

namespace OgActors.Coordinator.Images;

/// <summary>
/// The image entity's answers about software profiles (pure): the profile of a revision, or one sentence saying why
/// there is none (not defined, no such revision, being read, extraction failed, not read yet); the summary
/// <c>image list</c> shows.
/// </summary>
public static class ImageProfiles
{
    public static object Answer(ImageState state, string canonical, int? revision, IReadOnlyDictionary<string, NoteImageProfileProgress> progress)
    {
        if (state.Definition is null) return new Refused($"Image {canonical} is not defined.");
        string? sum;
        int number;
        if (revision is { } wanted)
        {
            sum = state.SumOfRevision(wanted);
            if (sum is null)
                return new Refused(state.RevisionBySum.Count == 0
                    ? $"Image {canonical} has no revision {wanted}: no repository has held its file yet."
                    : $"Image {canonical} has no revision {wanted} (its revisions are {string.Join(", ", state.RevisionBySum.Values.Distinct().Order())}).");
            number = wanted;
        }
        else
        {
            if (state.CurrentCopy is not { } copy) return new Refused($"Image {canonical} has no ready file in any repository, so no profile was read.");
            sum = copy.FullSum.ToLowerInvariant();
            number = copy.Revision;
        }
        if (state.ProfileOf(sum) is { } profile) return profile;
        return new Refused($"The profile of image {canonical} revision {number} {Pending(progress.GetValueOrDefault(sum))}.");
    }

    public static ProfileSummary? Summary(ImageState state, IReadOnlyDictionary<string, NoteImageProfileProgress> progress)
    {
        if (state.CurrentCopy is not { } copy) return null;
        var sum = copy.FullSum.ToLowerInvariant();
        if (state.ProfileOf(sum) is { } p)
            return new ProfileSummary(copy.Revision, p.OperatingSystem, p.Version, p.InstalledCount, p.Line, "read");
        return new ProfileSummary(copy.Revision, "", "", 0, "", Pending(progress.GetValueOrDefault(sum)));
    }

    private static string Pending(NoteImageProfileProgress? p) => p switch
    {
        null => "has not been read yet",
        { Stage: "failed" } => $"could not be read by {p.Repository}: {p.Reason.TrimEnd('.')}",
        { Stage: "restoring" } => $"is being read by {p.Repository} (restoring to scratch, {p.Percent} %)",
        { Stage: "queued" } => $"is queued for reading on {p.Repository}",
        _ => $"is being read by {p.Repository} ({p.Stage})",
    };
}
