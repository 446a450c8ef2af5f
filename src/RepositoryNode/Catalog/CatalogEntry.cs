using OgActors.Messages.Repositories;

namespace OgActors.RepositoryNode.Catalog;

/// <summary>The size and modification time that identify one version of NAME.img.</summary>
public readonly record struct FileStamp(long Size, DateTimeOffset ModifiedAt)
{
    public static FileStamp? Of(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? new FileStamp(file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero)) : null;
    }
}

/// <summary>Sums written beside an incorporated image.</summary>
public sealed record ImageSums(string Sum, string FullSum, string InfoHash);

/// <summary>One image in the repository's catalog: what state it is in since when, and what is known of it.</summary>
public sealed record CatalogEntry(
    ImageKey Key,
    ImageFileState State,
    FileStamp Stamp,
    DateTimeOffset StateSince,
    ImageFileInfo? Info = null,
    ImageSums? Sums = null,
    string? Error = null,
    int? VerifiedPercent = null)
{
    public RepositoryImage ToMessage() => new(
        Key.Name, Key.Folder, State, Stamp.Size, Stamp.ModifiedAt, Info, Sums?.Sum, Sums?.FullSum, Sums?.InfoHash, Error, StateSince,
        VerifiedPercent);
}
