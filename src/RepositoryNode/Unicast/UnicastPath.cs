using System.Text.RegularExpressions;
using OgActors.RepositoryNode.Catalog;

namespace OgActors.RepositoryNode.Unicast;

/// <summary>
/// What a unicast URL names: <c>/images/NAME.img</c> or <c>/images/OU/NAME.img</c>, or one of its sidecars
/// (<c>.sum</c>, <c>.full.sum</c>, <c>.torrent</c>, <c>.info.json</c>). Anything else (other names, dots, "..",
/// deeper paths, encoded slashes) is refused before the file system is touched.
/// </summary>
public sealed partial record UnicastPath(ImageKey Key, string Suffix)
{
    public static readonly string[] ServedSidecars = [".sum", ".full.sum", ".torrent", ImageFiles.InfoSuffix];

    public bool IsImage => Suffix.Length == 0;

    public string FileName => Key.Name + ImageKey.Extension + Suffix;

    public static UnicastPath? Parse(string? path)
    {
        if (string.IsNullOrEmpty(path)) return null;
        var parts = path.Split('/');
        if (parts.Length > 2) return null;
        var folder = parts.Length == 2 ? parts[0] : "";
        if (folder.Length > 0 && !ImageKey.IsSafeName(folder)) return null;
        var match = FileNamePattern().Match(parts[^1]);
        if (!match.Success) return null;
        var suffix = match.Groups["suffix"].Value;
        return new UnicastPath(new ImageKey(folder, match.Groups["name"].Value), suffix);
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z0-9_-]{1,200})\.img(?<suffix>|\.sum|\.full\.sum|\.torrent|\.info\.json)$")]
    private static partial Regex FileNamePattern();
}
