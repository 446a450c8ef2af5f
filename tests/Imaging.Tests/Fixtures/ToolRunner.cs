using System.Diagnostics;

namespace OgActors.Imaging.Tests.Fixtures;

/// <summary>Runs the real tools fixtures are made with; a failing tool fails the fixture with its stderr.</summary>
public static class ToolRunner
{
    /// <summary>Runs <paramref name="exe"/> with <paramref name="args"/>; returns stdout (and stderr appended) on exit 0.</summary>
    public static string Run(string exe, params string[] args) => RunIn(null, exe, args);

    public static string RunIn(string? workingDirectory, string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {exe}");
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{exe} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result.Trim()} {stdout.Result.Trim()}");
        return stdout.Result + stderr.Result;
    }

    /// <summary>Runs a bash script with `set -euo pipefail` (for pipelines such as `cat a b | gzip -dc`).</summary>
    public static string Shell(string script) => Run("/bin/bash", "-c", "set -euo pipefail\n" + script);

    /// <summary>Quotes a path for <see cref="Shell"/>.</summary>
    public static string Q(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
