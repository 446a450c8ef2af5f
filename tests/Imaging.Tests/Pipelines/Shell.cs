using System.Diagnostics;

namespace OgActors.Imaging.Tests.Pipelines;

/// <summary>Runs a real tool for a test and returns its output; a failure fails the test with the tool's stderr.</summary>
internal static class Shell
{
    public static string Run(string program, params string[] arguments) => RunWithExitCode(program, arguments, out var code) is var output && code == 0
        ? output
        : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {code}: {output}");

    public static string RunWithExitCode(string program, string[] arguments, out int exitCode)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        exitCode = process.ExitCode;
        return output + error.Result;
    }

    /// <summary>Runs a bash command line (for pipelines such as <c>tail -c1M f | md5sum</c>).</summary>
    public static string Bash(string commandLine) => Run("/bin/bash", "-c", "set -o pipefail; " + commandLine);
}
