namespace OgActors.Imaging.Processes;

/// <summary>POSIX shell single-quoting, so that any argument reaches the program unchanged.</summary>
internal static class ShellQuoting
{
    public static string Quote(string argument) => "'" + argument.Replace("'", "'\\''") + "'";

    public static string QuoteIfNeeded(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? argument : Quote(argument);
}
