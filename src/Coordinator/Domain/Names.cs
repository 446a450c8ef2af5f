using System.Text.RegularExpressions;

namespace OgActors.Coordinator.Domain;

/// <summary>Rules shared by every name operators give: classrooms, computers, repositories, images.</summary>
public static partial class Names
{
    /// <summary>The longest name (classroom, computer, repository, image canonical and display name).</summary>
    public const int MaxLength = 64;

    /// <summary>The longest free text (comments, software profile): 4 KiB.</summary>
    public const int MaxTextLength = 4096;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex SafeName();

    /// <summary>Null when <paramref name="value"/> is a safe name, else one sentence saying why not.</summary>
    public static string? Check(string what, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return $"The {what} is required.";
        if (value.Length > MaxLength) return $"The {what} '{value[..20]}…' is longer than {MaxLength} characters.";
        if (!SafeName().IsMatch(value))
            return $"The {what} '{value}' may only contain letters, digits, '-' and '_', and must start with a letter or digit.";
        return null;
    }
}
