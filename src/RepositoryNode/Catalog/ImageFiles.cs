namespace OgActors.RepositoryNode.Catalog;

/// <summary>
/// The files of one image in the images directory, OpenGnsys-compatible: NAME.img and its sidecars
/// (.sum, .full.sum, .torrent, .lock, the .ant previous version) plus ours (.info.json, .error).
/// </summary>
public sealed class ImageFiles(string imagesDirectory, ImageKey key)
{
    public static readonly string[] Sidecars = [".sum", ".full.sum", ".torrent"];
    public const string InfoSuffix = ".info.json";
    public const string ErrorSuffix = ".error";
    public const string LockSuffix = ".lock";
    public const string PreviousSuffix = ".ant";

    public ImageKey Key { get; } = key;
    public string Directory { get; } = key.Folder.Length == 0 ? imagesDirectory : Path.Combine(imagesDirectory, key.Folder);
    public string Image => Path.Combine(Directory, Key.Name + ImageKey.Extension);
    public string Sum => Image + ".sum";
    public string FullSum => Image + ".full.sum";
    public string Torrent => Image + ".torrent";
    public string Info => Image + InfoSuffix;
    public string Error => Image + ErrorSuffix;
    public string Lock => Image + LockSuffix;

    /// <summary>The sidecars incorporation writes (and deletes when stale).</summary>
    public IEnumerable<string> Derived => [Sum, FullSum, Torrent, Info, Error];

    /// <summary>The files kept as the previous version (OpenGnsys's .ant set), each → its .ant name.</summary>
    public IEnumerable<(string Current, string Previous)> PreviousVersion =>
        new[] { Image, Sum, FullSum, Torrent, Info }.Select(f => (f, f + PreviousSuffix));

    /// <summary>A temporary name in the same directory that incorporation never looks at (not *.img).</summary>
    public string TemporaryName(string purpose) => Path.Combine(Directory, $".{Key.Name}.{purpose}-{Guid.NewGuid():N}.tmp");

    /// <summary>
    /// Maps any path under the images directory to the image it belongs to: NAME.img itself or one of its
    /// sidecars, at the root or one folder deep. Null for anything else (temporary names, deeper files).
    /// </summary>
    public static ImageKey? KeyOf(string imagesDirectory, string path)
    {
        var relative = Path.GetRelativePath(imagesDirectory, path);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)) return null;
        var parts = relative.Split(Path.DirectorySeparatorChar);
        if (parts.Length > 2) return null;
        var folder = parts.Length == 2 ? parts[0] : "";
        var file = parts[^1];
        // The last ".img" that ends the name or is followed by a suffix: "a.img.b.img.sum" belongs to "a.img.b".
        var at = file.LastIndexOf(ImageKey.Extension, StringComparison.Ordinal);
        while (at > 0)
        {
            var rest = file[(at + ImageKey.Extension.Length)..];
            if (rest.Length == 0 || rest.StartsWith('.'))
                return new ImageKey(folder, file[..at]);
            at = file.LastIndexOf(ImageKey.Extension, at - 1, StringComparison.Ordinal);
        }
        return null;
    }
}
