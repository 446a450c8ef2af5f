using OgActors.Messages.Repositories;

namespace OgActors.RepositoryNode.Catalog;

/// <summary>
/// What identifies one version of NAME.img: size and modification time, and also its change time (ctime) and its
/// device and inode, so that a file rewritten in place with the same size and a restored mtime (<c>touch -r</c>), or
/// replaced by another file, is a new version that is verified again before it is served.
/// </summary>
public readonly record struct FileStamp(long Size, DateTimeOffset ModifiedAt, DateTimeOffset ChangedAt = default, long Device = 0, long Inode = 0)
{
    public static FileStamp? Of(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists) return null;
        var identity = FileIdentity.Of(path);
        return new FileStamp(file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero),
            identity?.ChangedAt ?? default, identity?.Device ?? 0, identity?.Inode ?? 0);
    }

    /// <summary>The identity as the info sidecar records it (size, mtime, ctime, device, inode).</summary>
    public string Describe() => $"size {Size}, modified {ModifiedAt:O}, changed {ChangedAt:O}, inode {Device}:{Inode}";
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
