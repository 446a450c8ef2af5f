using System.Text;
using System.Text.RegularExpressions;

namespace OgActors.RepositoryNode.Import;

/// <summary>Derives safe canonical names (letters, digits, '_' and '-') from what other tools called their images.</summary>
public static partial class CanonicalNames
{
    /// <summary>Anything unsafe becomes '-', runs of '-' collapse, and the ends are trimmed.</summary>
    public static string Sanitize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '-');
        var name = Dashes().Replace(builder.ToString(), "-").Trim('-');
        return name.Length > 0 ? name : "image";
    }

    /// <summary>
    /// The name of an image file or the first volume of a split set: the part before the first dot
    /// ("winxp.img" → "winxp", "sda1.ext4-ptcl-img.zst.aa" → "sda1", "d1p2.img.000" → "d1p2").
    /// </summary>
    public static string FromFile(string path)
    {
        var file = Path.GetFileName(path);
        var dot = file.IndexOf('.', 1);
        return Sanitize(dot > 0 ? file[..dot] : file);
    }

    /// <summary>One partition of an image directory: "&lt;dir&gt;-&lt;partition&gt;" ("win10" + "sda1" → "win10-sda1").</summary>
    public static string FromDirectoryPartition(string prefix, string partition) => Sanitize($"{prefix}-{partition}");

    [GeneratedRegex("-{2,}")]
    private static partial Regex Dashes();
}
