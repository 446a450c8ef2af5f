using System.Diagnostics;
using OgActors.Imaging.Processes;

namespace OgActors.Imaging.Pipelines;

/// <summary>
/// One real <c>udp-sender</c> or <c>udp-receiver</c> process, supervised: its stdin (sender) or stdout (receiver) is ours,
/// its error output is kept (the last lines name what went wrong), <see cref="Kill"/> ends it and its children, and
/// <see cref="Dispose"/> kills it if it still runs, so an owner that stops never leaves an orphan. A process whose owner
/// dies anyway ends by itself: the sender at the end of its stdin, the receiver on its start or receive timeout, or at its
/// next write to a closed pipe. <see cref="Wrapper"/> runs it under another command (tests: <c>ip netns exec NS</c>).
/// </summary>
public sealed class UdpcastProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly Task _errors;
    private int _killed;

    private UdpcastProcess(Process process, string program)
    {
        _process = process;
        Program = program;
        _errors = Task.Run(async () =>
        {
            var buffer = new char[4096];
            var line = new System.Text.StringBuilder();
            int n;
            while ((n = await process.StandardError.ReadAsync(buffer)) > 0)
                for (var i = 0; i < n; i++)
                {
                    if (buffer[i] is '\n' or '\r') { Keep(line.ToString()); line.Clear(); }
                    else line.Append(buffer[i]);
                }
            Keep(line.ToString());
        });
    }

    public string Program { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public Stream Input => _process.StandardInput.BaseStream;
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>Starts <paramref name="program"/> with <paramref name="arguments"/> (under <paramref name="wrapper"/> when given).</summary>
    public static UdpcastProcess Start(string program, IEnumerable<string> arguments, bool input, bool output, IReadOnlyList<string>? wrapper = null)
    {
        var path = ToolLocator.Require(program);
        var all = (wrapper ?? []).Concat([path]).Concat(arguments).ToList();
        var start = new ProcessStartInfo(all[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = input,
            RedirectStandardOutput = output,
            RedirectStandardError = true,
        };
        foreach (var a in all.Skip(1)) start.ArgumentList.Add(a);
        start.Environment["LC_ALL"] = "C";
        var process = Process.Start(start) ?? throw new ToolFailedException(program, 127, $"{program} could not be started.", "");
        return new UdpcastProcess(process, program);
    }

    private void Keep(string line)
    {
        if (line.Trim().Length == 0) return;
        lock (_lastLines)
        {
            _lastLines.Enqueue(line.Trim());
            while (_lastLines.Count > 20) _lastLines.Dequeue();
        }
    }

    public IReadOnlyList<string> LastLines() { lock (_lastLines) return [.. _lastLines]; }

    /// <summary>Waits for the exit; the exit code (a killed process: 128 + signal, as a shell reports it).</summary>
    public async Task<int> WaitAsync(CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken);
        try { await _errors.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken); } catch (TimeoutException) { }
        return _process.ExitCode;
    }

    public bool WasKilled => Volatile.Read(ref _killed) == 1;

    public void Kill()
    {
        Interlocked.Exchange(ref _killed, 1);
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    /// <summary>The exit status as one sentence (what udpcast's exit codes and its last error line say).</summary>
    public string ExitSentence(int code)
    {
        if (code == 0) return $"{Program} finished.";
        if (WasKilled) return $"{Program} was stopped.";
        var telling = LastLines().LastOrDefault(l => !l.StartsWith("bytes=", StringComparison.Ordinal) && !l.Contains("Udp-") && l.Length > 0)?.TrimEnd('.');
        var what = code switch
        {
            > 128 and < 160 => $"{Program} was killed by signal {code - 128}",
            _ => $"{Program} failed with exit code {code}",
        };
        return telling is null ? what + "." : $"{what} ({telling}).";
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
