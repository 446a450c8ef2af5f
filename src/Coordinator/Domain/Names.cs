using System.Text.RegularExpressions;

namespace OgActors.Coordinator.Domain;

/// <summary>Rules shared by every name operators give: classrooms, computers, repositories, images.</summary>
public static partial class Names
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")]
    private static partial Regex SafeName();

    /// <summary>Null when <paramref name="value"/> is a safe name, else one sentence saying why not.</summary>
    public static string? Check(string what, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return $"The {what} is required.";
        if (value.Length > 63) return $"The {what} '{value}' is longer than 63 characters.";
        if (!SafeName().IsMatch(value))
            return $"The {what} '{value}' may only contain letters, digits, '-' and '_', and must start with a letter or digit.";
        return null;
    }
}
