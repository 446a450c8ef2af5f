using System.Diagnostics;
using System.Text;
using OgActors.Imaging.Processes;

namespace OgActors.Imaging.Profiles;

/// <summary>What one run of a reading tool (debugfs, ntfscat, hivexget, mdir, …) printed and how it exited.</summary>
public sealed record ToolOutput(int ExitCode, byte[] StandardOutput, string StandardError)
{
    public string Text => Encoding.UTF8.GetString(StandardOutput);
}

/// <summary>
/// Runs a tool that reads a filesystem image and prints what it found (no pipeline: one process, its whole output
/// kept, up to <see cref="MaxOutputBytes"/>). Cancellation kills it.
/// </summary>
internal static class ProfileTool
{
    public const int MaxOutputBytes = 256 * 1024 * 1024;

    public static async Task<ToolOutput> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken ct,
        IReadOnlyDictionary<string, string>? environment = null, string? standardInput = null)
    {
        var path = ToolLocator.Require(program);
        var start = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["LC_ALL"] = "C";
        start.Environment["PATH"] = ToolLocator.SearchPath;
        if (environment is not null) foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} could not be started.");
        if (standardInput is not null) await process.StandardInput.WriteAsync(standardInput);
        process.StandardInput.Close();
        using var kill = ct.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } });
        var stdout = ReadCappedAsync(process.StandardOutput.BaseStream);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync(CancellationToken.None);
        var output = await stdout;
        var error = await stderr;
        ct.ThrowIfCancellationRequested();
        return new ToolOutput(process.ExitCode, output, error);
    }

    private static async Task<byte[]> ReadCappedAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        var block = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(block)) > 0)
            if (buffer.Length + n <= MaxOutputBytes) buffer.Write(block, 0, n);
        return buffer.ToArray();
    }
}
