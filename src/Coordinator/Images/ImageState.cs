using OgActors.Messages.Images;
using OgActors.Messages.Profiles;

namespace OgActors.Coordinator.Images;

/// <summary>
/// An image entity's state: its definition (null while undefined or after delete) and the files repositories
/// hold under its canonical name — kept even while undefined, so a later definition links at once.
/// <para>Revisions mean content: every distinct full sum (<c>.full.sum</c>) the image has had gets one number, the next
/// one when it is new, its old one when it comes back. The image's revision is that of the file held now (on the image's
/// own repository when it holds one, else the copy linked last), never the highest number ever seen.</para>
/// </summary>
public sealed record ImageState(ImageView? Definition, IReadOnlyList<ImageFileCopy> Copies, IReadOnlyDictionary<string, int> RevisionBySum)
{
    public static ImageState Empty { get; } = new(null, [], new Dictionary<string, int>());

    /// <summary>The software profile read from each content (full sum, lower case) of the image; kept while undefined too.</summary>
    public IReadOnlyDictionary<string, SoftwareProfile> Profiles { get; init; } = new Dictionary<string, SoftwareProfile>();

    /// <summary>The ready copy whose revision is the image's (see <see cref="Revision"/>), or null.</summary>
    public ImageFileCopy? CurrentCopy =>
        Copies.LastOrDefault(c => c.State == "ready" && c.Repository == Definition?.Repository) ?? Copies.LastOrDefault(c => c.State == "ready");

    /// <summary>The full sum that revision <paramref name="revision"/> is, or null when the image never had it.</summary>
    public string? SumOfRevision(int revision) => RevisionBySum.Where(kv => kv.Value == revision).Select(kv => kv.Key).FirstOrDefault();

    /// <summary>The profile read from <paramref name="fullSum"/>, with the revision that content is.</summary>
    public SoftwareProfile? ProfileOf(string fullSum) =>
        Profiles.TryGetValue(fullSum.ToLowerInvariant(), out var p)
            ? p with { Revision = RevisionBySum.GetValueOrDefault(fullSum.ToLowerInvariant()), Canonical = Definition?.Canonical ?? p.Canonical }
            : null;

    /// <summary>The revision of the ready file held now (0 when none).</summary>
    public int Revision =>
        (Copies.LastOrDefault(c => c.State == "ready" && c.Repository == Definition?.Repository)
         ?? Copies.LastOrDefault(c => c.State == "ready"))?.Revision ?? 0;

    /// <summary>The revision a file with this full sum is (a known content keeps its number; a new one gets the next).</summary>
    public int RevisionOf(string fullSum) =>
        RevisionBySum.TryGetValue(fullSum.ToLowerInvariant(), out var r) ? r : (RevisionBySum.Count == 0 ? 0 : RevisionBySum.Values.Max()) + 1;

    public ImageView? View => Definition is null ? null
        : Definition with { Revision = Revision, Copies = Copies, Revisions = new Dictionary<string, int>(RevisionBySum) };

    public ImageState Apply(IImageEvent evt) => evt switch
    {
        ImageDefined e => this with
        {
            Definition = new ImageView(e.Canonical, e.DisplayName, e.SoftwareProfile, e.Partition, e.PartitionType,
                e.Repository, e.Comments, 0, [], e.At, e.By),
        },
        ImageDeleted => this with { Definition = null },
        ImageFileLinked e => this with
        {
            Copies = [.. Copies.Where(c => !SameCopy(c, e.Repository, e.Folder)),
                new ImageFileCopy(e.Repository, e.Folder, e.Info, e.Sum, e.FullSum, e.InfoHash, e.Size, e.ModifiedAt, e.Revision)],
            RevisionBySum = new Dictionary<string, int>(RevisionBySum) { [e.FullSum.ToLowerInvariant()] = e.Revision },
        },
        ImageFileFailed e => this with
        {
            Copies = [.. Copies.Select(c => SameCopy(c, e.Repository, e.Folder) ? c with { State = "error", Error = e.Reason } : c)],
        },
        ImageFileUnlinked e => this with { Copies = [.. Copies.Where(c => !SameCopy(c, e.Repository, e.Folder))] },
        ImageProfileRecorded e => this with
        {
            Profiles = new Dictionary<string, SoftwareProfile>(Profiles) { [e.Profile.FullSum.ToLowerInvariant()] = e.Profile },
        },
        _ => this,
    };

    public ImageFileCopy? CopyIn(string repository, string folder) => Copies.FirstOrDefault(c => SameCopy(c, repository, folder));

    private static bool SameCopy(ImageFileCopy c, string repository, string folder) => c.Repository == repository && c.Folder == folder;
}
