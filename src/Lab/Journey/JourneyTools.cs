using System.Diagnostics;

namespace OgActors.Lab.Journey;

/// <summary>Runs the real filesystem tools the journey needs (mkfs, e2fsck, debugfs) and reports a failure in one sentence.</summary>
public static class JourneyTools
{
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancel)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new JourneyException($"{tool} could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancel);
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        try { await process.WaitForExitAsync(cancel); }
        catch (OperationCanceledException) { try { process.Kill(true); } catch (InvalidOperationException) { } throw; }
        return new Result(process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>Runs the tool and throws a <see cref="JourneyException"/> naming it when it fails.</summary>
    public static async Task<string> CheckedAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancel)
    {
        var r = await RunAsync(tool, arguments, cancel);
        if (r.ExitCode != 0)
            throw new JourneyException($"{tool} {string.Join(' ', arguments)} failed with exit code {r.ExitCode}: {LastLine(r.Output)}");
        return r.Output;
    }

    public static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";
}

/// <summary>A journey step failed; the message is the one sentence the operator sees.</summary>
public sealed class JourneyException(string message) : Exception(message);
