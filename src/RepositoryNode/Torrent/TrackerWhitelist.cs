namespace OgActors.RepositoryNode.Torrent;

/// <summary>
/// opentracker's whitelist (<c>access.whitelist</c> / <c>-w</c>): one info-hash a line, 40 hex digits. Written whole under a
/// temporary name and renamed over the old one (opentracker re-reads it on SIGHUP and never sees half a file).
/// opentracker keeps its old list when the file it re-reads is empty, so no image at all is written as the one line
/// <see cref="Nothing"/> (the all-zero hash: no torrent's info dictionary hashes to it).
/// </summary>
public static class TrackerWhitelist
{
    public static readonly string Nothing = new('0', 40);

    public static string Render(IEnumerable<string> infoHashes)
    {
        var lines = infoHashes.Select(h => h.ToLowerInvariant()).Where(h => h != Nothing).Distinct().Order(StringComparer.Ordinal).ToList();
        return string.Concat((lines.Count == 0 ? [Nothing] : lines).Select(h => h + "\n"));
    }

    public static void Write(string path, IEnumerable<string> infoHashes)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, Render(infoHashes));
        // opentracker drops to an unprivileged user after start: the list must stay readable by it.
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.Move(temporary, path, overwrite: true);
    }

    public static IReadOnlyList<string> Read(string path) =>
        File.Exists(path) ? [.. File.ReadAllLines(path).Where(l => l.Length > 0 && l != Nothing)] : [];
}
