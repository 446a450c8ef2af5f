namespace OgActors.Imaging.Profiles;

/// <summary>
/// Parses dpkg's database (<c>/var/lib/dpkg/status</c>) into the packages <c>dpkg-query -W</c> lists: every
/// paragraph whose status is not <c>not-installed</c>, named as <c>${binary:Package}</c> (qualified with
/// <c>:ARCH</c> when the package is <c>Multi-Arch: same</c> or of a foreign architecture), with its version and status
/// word (<c>installed</c>, <c>config-files</c>, <c>half-installed</c>, …). The native architecture is the
/// <c>dpkg</c> package's own.
/// </summary>
public static class DpkgStatus
{
    private sealed record Paragraph(string Package, string Version, string Status, string Architecture, string MultiArch);

    public static IReadOnlyList<InstalledSoftware> Parse(string text)
    {
        var paragraphs = Paragraphs(text).ToList();
        var native = paragraphs.FirstOrDefault(p => p.Package == "dpkg")?.Architecture
                     ?? paragraphs.Where(p => p.Architecture is not ("" or "all")).GroupBy(p => p.Architecture)
                         .OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault() ?? "";
        return paragraphs
            .Where(p => p.Status.Length > 0 && p.Status != "not-installed")
            .Select(p => new InstalledSoftware(NeedsArch(p, native) ? $"{p.Package}:{p.Architecture}" : p.Package, p.Version, p.Status))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static bool NeedsArch(Paragraph p, string native)
    {
        if (p.Architecture.Length == 0) return false;
        if (p.MultiArch == "same") return true;
        return p.Architecture != "all" && p.Architecture != native;
    }

    private static IEnumerable<Paragraph> Paragraphs(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (raw.Trim().Length == 0)
            {
                if (Make(fields) is { } p) yield return p;
                fields.Clear();
                last = null;
                continue;
            }
            if (raw[0] is ' ' or '\t') { if (last is not null) fields[last] += "\n" + raw.Trim(); continue; }
            var colon = raw.IndexOf(':');
            if (colon <= 0) continue;
            last = raw[..colon];
            fields[last] = raw[(colon + 1)..].Trim();
        }
        if (Make(fields) is { } tail) yield return tail;
    }

    private static Paragraph? Make(Dictionary<string, string> f)
    {
        if (!f.TryGetValue("Package", out var name) || name.Length == 0) return null;
        var status = f.GetValueOrDefault("Status", "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new Paragraph(name, f.GetValueOrDefault("Version", ""), status.Length == 3 ? status[2] : "",
            f.GetValueOrDefault("Architecture", ""), f.GetValueOrDefault("Multi-Arch", ""));
    }
}
