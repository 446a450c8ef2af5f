using System.Diagnostics;
using System.Text;

namespace OgActors.EndToEnd.Tests;

/// <summary>Runs the real built binaries (og-lab, ogctl) as separate processes, the way an operator does.</summary>
internal sealed class RealProcess : IAsyncDisposable
{
    public static string RepoRoot { get; } = FindRoot();

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RealProcess(Process process) => _process = process;

    public string Output { get { lock (_output) return _output.ToString(); } }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    public static string Binary(string project, string assembly) =>
        Path.Combine(RepoRoot, "artifacts", "bin", project, "release", assembly + ".dll");

    public static RealProcess Start(string dll, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = new Process { StartInfo = info };
        var real = new RealProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (real._output) real._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (real._output) real._output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return real;
    }

    /// <summary>Runs a command to completion: exit code, standard output and standard error.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(string dll, IEnumerable<string> args,
        IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Asks the process to stop as an operator's Ctrl-C/systemd would (SIGTERM) and waits for its exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill!.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        _process.Dispose();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OgActors.sln"))) return dir.FullName;
        throw new InvalidOperationException("The OgActors source tree (OgActors.sln) was not found above the test binaries.");
    }
}
