using System.Text.RegularExpressions;

namespace OgActors.Imaging.Processes;

/// <summary>Turns a tool's exit code and error output into one sentence a user can act on.</summary>
internal static partial class ErrorSentence
{
    [GeneratedRegex(@"\x1B\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"error|fail|cannot|can't|could not|unable|invalid|not |no such|denied|too small|smaller|corrupt|unexpected|bad |wrong|missing|refus|abort", RegexOptions.IgnoreCase)]
    private static partial Regex Telling();

    [GeneratedRegex(@"please check|^\s*(elapsed|current block|total time|partclone v|syncing)", RegexOptions.IgnoreCase)]
    private static partial Regex Noise();

    public static string For(string tool, int exitCode, string standardError)
    {
        var reason = exitCode > 128 && exitCode < 128 + 65 ? $"was killed by signal {exitCode - 128}" : $"failed with exit code {exitCode}";
        var line = MostTellingLine(standardError);
        return line is null ? $"{tool} {reason}." : $"{tool} {reason}: {line.TrimEnd('.', ' ', '!')}.";
    }

    /// <summary>The last line that reads like an error (progress bars and banners skipped), else the last line.</summary>
    public static string? MostTellingLine(string standardError)
    {
        var lines = AnsiEscape().Replace(standardError, "")
            .Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Length > 0 && !Noise().IsMatch(line))
            .ToList();
        var telling = lines.LastOrDefault(line => Telling().IsMatch(line)) ?? lines.LastOrDefault();
        if (telling is null) return null;
        telling = Regex.Replace(Regex.Replace(telling, @"\*{3,}", ""), @"\s+", " ").Trim();
        return telling.Length > 300 ? telling[..300] + "…" : telling;
    }
}
