using System.Text;

namespace OgActors.Imaging.Profiles;

/// <summary>
/// Parses <c>os-release(5)</c>: <c>KEY=value</c> lines, values optionally in double or single quotes, backslash
/// escapes inside double quotes; comments and blank lines ignored; a malformed line is skipped.
/// </summary>
public static class OsRelease
{
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var key = line[..eq];
            if (!key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) continue;
            fields[key] = Unquote(line[(eq + 1)..]);
        }
        return fields;
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'') return value[1..^1];
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"') return value;
        var inner = value[1..^1];
        var result = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length && inner[i + 1] is '\\' or '"' or '$' or '`') { result.Append(inner[++i]); continue; }
            result.Append(inner[i]);
        }
        return result.ToString();
    }
}
