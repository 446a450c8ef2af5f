namespace OgActors.Imaging.Profiles;

/// <summary>
/// Reads files and directories of an ext2/3/4 filesystem image with <c>debugfs</c>, read-only and without mounting
/// (<c>-c</c>: the bitmaps are not read). debugfs reports a missing path on stderr with exit code 0, so every
/// call checks its error output.
/// </summary>
internal sealed class DebugFs(string filesystemImage)
{
    public sealed record Entry(string Name, bool IsDirectory, bool IsSymlink, long Size);

    public sealed record Node(bool IsDirectory, bool IsSymlink, long Size, string? LinkTarget);

    /// <summary>The type, size and (for a fast symlink) target of <paramref name="path"/>; null when it does not exist.</summary>
    public async Task<Node?> StatAsync(string path, CancellationToken ct)
    {
        var output = await RunAsync($"stat \"{path}\"", ct);
        if (Missing(output)) return null;
        var text = output.Text;
        var type = Field(text, "Type:");
        var size = long.TryParse(Field(text, "Size:"), out var s) ? s : 0;
        var link = text.Split('\n').FirstOrDefault(l => l.StartsWith("Fast link dest:", StringComparison.Ordinal)) is { } line
            ? line["Fast link dest:".Length..].Trim().Trim('"')
            : null;
        return new Node(type == "directory", type == "symlink", size, link);
    }

    /// <summary>
    /// The path <paramref name="path"/> resolves to after following symlinks (absolute or relative, at most 8), or null when
    /// something along the way does not exist.
    /// </summary>
    public async Task<(string Path, Node Node)?> ResolveAsync(string path, CancellationToken ct)
    {
        for (var hop = 0; hop < 8; hop++)
        {
            var node = await StatAsync(path, ct);
            if (node is null) return null;
            if (!node.IsSymlink) return (path, node);
            var target = node.LinkTarget ?? (await CatAsync(path, ct)).Text.TrimEnd('\0', '\n');
            path = Normalize(target.StartsWith('/') ? target : $"{ParentOf(path)}/{target}");
        }
        return null;
    }

    public async Task<ToolOutput> CatAsync(string path, CancellationToken ct) => await RunAsync($"cat \"{path}\"", ct);

    /// <summary>The entries of directory <paramref name="path"/> (without . and ..), or null when it does not exist.</summary>
    public async Task<IReadOnlyList<Entry>?> ListAsync(string path, CancellationToken ct)
    {
        var output = await RunAsync($"ls -p \"{path}\"", ct);
        if (Missing(output)) return null;
        var entries = new List<Entry>();
        foreach (var line in output.Text.Split('\n'))
        {
            // /INODE/MODE/UID/GID/NAME/SIZE/
            var parts = line.Trim().Split('/');
            if (parts.Length < 7) continue;
            var name = string.Join('/', parts[5..^2]);
            if (name is "." or ".." or "") continue;
            var mode = Convert.ToInt32(parts[2].Length == 0 ? "0" : parts[2], 8);
            entries.Add(new Entry(name, (mode & 0xF000) == 0x4000, (mode & 0xF000) == 0xA000, long.TryParse(parts[^2], out var size) ? size : 0));
        }
        return entries;
    }

    /// <summary>Why debugfs could not open the filesystem at all, or null when it opens.</summary>
    public async Task<string?> OpenProblemAsync(CancellationToken ct)
    {
        var output = await RunAsync("stats", ct);
        return output.StandardError.Split('\n').FirstOrDefault(l => l.Contains("while trying to open", StringComparison.Ordinal)
                                                                    || l.Contains("Bad magic", StringComparison.Ordinal)) is { } line
            ? line.Trim().Replace("debugfs: ", "")
            : null;
    }

    private Task<ToolOutput> RunAsync(string request, CancellationToken ct) =>
        ProfileTool.RunAsync("debugfs", ["-c", "-R", request, filesystemImage], ct);

    private static bool Missing(ToolOutput output) =>
        output.StandardError.Contains("File not found by ext2_lookup", StringComparison.Ordinal)
        || output.StandardError.Contains("while trying to open", StringComparison.Ordinal);

    private static string Field(string text, string name)
    {
        var at = text.IndexOf(name, StringComparison.Ordinal);
        if (at < 0) return "";
        var rest = text[(at + name.Length)..].TrimStart();
        var end = rest.IndexOfAny([' ', '\n', '\t']);
        return end < 0 ? rest : rest[..end];
    }

    internal static string ParentOf(string path)
    {
        var at = path.TrimEnd('/').LastIndexOf('/');
        return at <= 0 ? "" : path[..at];
    }

    internal static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }
}
