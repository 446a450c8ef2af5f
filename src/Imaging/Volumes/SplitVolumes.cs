namespace OgActors.Imaging.Volumes;

/// <summary>
/// Finds the volumes of a split image given its first one: numeric suffixes as `split -d`/FOG/partimage write them
/// (<c>name.000, name.001 …</c> or <c>name.00, name.01 …</c>) or alphabetic ones as `split`/Clonezilla write them
/// (<c>name.aa, name.ab … name.zz</c>, any suffix length). Any other file is a set of one.
/// </summary>
public static class SplitVolumes
{
    /// <summary>The files whose concatenation, in this order, is the image stream.</summary>
    public static IReadOnlyList<string> Discover(string firstVolume)
    {
        var full = Path.GetFullPath(firstVolume);
        if (!IsFirstVolume(full, out var prefix, out var suffix)) return [full];
        var volumes = new List<string> { full };
        for (var next = Increment(suffix); next is not null; next = Increment(next))
        {
            var candidate = prefix + next;
            if (!File.Exists(candidate)) break;
            volumes.Add(candidate);
        }
        return volumes;
    }

    /// <summary>True when the name ends with a first-volume suffix (<c>.00</c>, <c>.000</c>, <c>.aa</c>, <c>.aaa</c> …).</summary>
    public static bool IsFirstVolume(string path, out string prefix, out string suffix)
    {
        var dot = path.LastIndexOf('.');
        prefix = dot < 0 ? path : path[..(dot + 1)];
        suffix = dot < 0 ? "" : path[(dot + 1)..];
        return suffix.Length is >= 2 and <= 5 && (suffix.All(c => c == '0') || suffix.All(c => c == 'a'));
    }

    /// <summary>True when the name ends with a later split suffix (<c>.001</c>, <c>.ab</c> …) and the first volume exists beside it.</summary>
    public static bool IsLaterVolume(string path)
    {
        var dot = path.LastIndexOf('.');
        if (dot < 0) return false;
        var suffix = path[(dot + 1)..];
        if (suffix.Length is < 2 or > 5 || IsFirstVolume(path, out _, out _)) return false;
        char first = suffix.All(char.IsAsciiDigit) ? '0' : suffix.All(char.IsAsciiLetterLower) ? 'a' : '\0';
        return first != '\0' && File.Exists(path[..(dot + 1)] + new string(first, suffix.Length));
    }

    /// <summary>Total bytes over all volumes.</summary>
    public static long StoredSize(IReadOnlyList<string> volumes) => volumes.Sum(v => new FileInfo(v).Length);

    private static string? Increment(string suffix)
    {
        var chars = suffix.ToCharArray();
        for (int i = chars.Length - 1; i >= 0; i--)
        {
            char c = chars[i];
            if (c is >= '0' and < '9' or >= 'a' and < 'z') { chars[i]++; return new string(chars); }
            if (c == '9') chars[i] = '0';
            else if (c == 'z') chars[i] = 'a';
            else return null;
        }
        return null;    // wrapped around: the suffix space is exhausted
    }
}
