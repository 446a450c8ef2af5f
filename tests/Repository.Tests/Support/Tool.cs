using System.Diagnostics;

namespace OgActors.Repository.Tests.Support;

/// <summary>Runs a real command line (bash -c) and returns its standard output; fails the test on a non-zero exit.</summary>
internal static class Tool
{
    public static string Run(string commandLine, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("bash", ["-c", "set -o pipefail; " + commandLine])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"`{commandLine}` exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    public static string Quote(string path) => "'" + path.Replace("'", "'\\''") + "'";

    /// <summary>md5sum's answer for a file.</summary>
    public static string Md5Sum(string path) => Run($"md5sum -b {Quote(path)}").Split(' ')[0];

    /// <summary>OpenGnsys's .sum, made the way OpenGnsys makes it: <c>tail -c1M IMG | md5sum -b</c>.</summary>
    public static string LastMiBMd5Sum(string path) => Run($"tail -c1M {Quote(path)} | md5sum -b").Split(' ')[0];
}
