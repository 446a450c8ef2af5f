namespace OgActors.Messages.Repositories;

/// <summary>Commands and queries a repository node's RepositoryActor answers.</summary>
public interface IRepositoryCommand : IOgMessage;

/// <summary>
/// Remove NAME.img with its sidecars. Unless <paramref name="Purge"/>, the file and its sidecars are kept as
/// the previous version (NAME.img.ant, .sum.ant, .full.sum.ant, .torrent.ant) as OpenGnsys does.
/// Reply: <see cref="Common.Accepted"/> or <see cref="Common.Refused"/>.
/// </summary>
[Manifest("repo.delete-image")]
public sealed record DeleteImageFile(string CanonicalName, string Folder, bool Purge) : IRepositoryCommand;

/// <summary>
/// Import PATH (a path on the repository node: an image file, the first volume of a split set, a Clonezilla or
/// FOG image directory, or another OpenGnsys repository's NAME.img with its sidecars) into the images directory.
/// Reply: <see cref="ImportCompleted"/> or <see cref="Common.Refused"/>.
/// </summary>
[Manifest("repo.import")]
public sealed record ImportImage(string SourcePath, string? CanonicalName, string Folder) : IRepositoryCommand;

/// <summary>One image an import wrote: its canonical name, where it came from and what it is.</summary>
[Manifest("repo.imported-image")]
public sealed record ImportedImage(string CanonicalName, string Folder, IReadOnlyList<string> Sources, long Size, string OgLine, bool SumsVerified)
    : IOgMessage;

[Manifest("repo.import-completed")]
public sealed record ImportCompleted(string Repository, IReadOnlyList<ImportedImage> Images) : IOgMessage;

/// <summary>Reply: <see cref="RepositoryAnnounced"/> (the current catalog; only OU <paramref name="Folder"/>'s images when given, "" = the root).</summary>
[Manifest("repo.get-catalog")]
public sealed record GetRepositoryCatalog(string? Folder = null) : IRepositoryCommand;
