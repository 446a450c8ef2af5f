using System.Text.RegularExpressions;

namespace OgActors.RepositoryNode.Catalog;

/// <summary>
/// Which image: its canonical name (the file name without <c>.img</c>) and its OU sub-folder ("" at the root).
/// Both are safe file names: letters, digits, '_' and '-' only (no spaces, slashes, quotes or dots), as OpenGnsys requires.
/// </summary>
public readonly partial record struct ImageKey(string Folder, string Name)
{
    public const string Extension = ".img";

    public override string ToString() => Folder.Length == 0 ? Name : $"{Folder}/{Name}";

    public static bool IsSafeName(string value) => value.Length is > 0 and <= 200 && SafeName().IsMatch(value);

    /// <summary>"NAME" or "OU/NAME" → the key, or null with a sentence saying why not.</summary>
    public static ImageKey? TryParse(string text, out string? error)
    {
        var parts = text.Split('/');
        (string folder, string name) = parts.Length switch
        {
            1 => ("", parts[0]),
            2 => (parts[0], parts[1]),
            _ => (null!, null!),
        };
        if (name is null)
        {
            error = $"'{text}' is not an image name: use NAME or OU/NAME.";
            return null;
        }
        if (!IsSafeName(name) || (folder.Length > 0 && !IsSafeName(folder)))
        {
            error = $"'{text}' is not a valid canonical name: use letters, digits, '_' and '-' only.";
            return null;
        }
        error = null;
        return new ImageKey(folder, name);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex SafeName();
}
