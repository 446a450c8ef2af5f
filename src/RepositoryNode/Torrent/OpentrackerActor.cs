using System.Diagnostics;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Event;
using OgActors.Imaging.Processes;

namespace OgActors.RepositoryNode.Torrent;

/// <summary>
/// Supervises one real <c>opentracker</c> (Debian's build is whitelist-only: it answers announces only for the info-hashes in
/// its whitelist file) bound to the repository's address on the tracker port (TCP and UDP). <see cref="Track"/> sets the
/// info-hashes: the whitelist is rewritten atomically and opentracker told to re-read it (SIGHUP). If opentracker dies it is
/// started again (after 1 s, up to 10 s between attempts), with the current list; stopping the actor stops the process.
/// </summary>
public sealed class OpentrackerActor : ReceiveActor, IWithTimers
{
    /// <summary>The info-hashes to track (and only those).</summary>
    public sealed record Track(IReadOnlyList<string> InfoHashes) : INoSerializationVerificationNeeded;
    /// <summary>Test and view hook: answers <see cref="TrackerState"/>.</summary>
    public sealed record GetState : INoSerializationVerificationNeeded;
    public sealed record TrackerState(int? ProcessId, int Starts, IReadOnlyList<string> Whitelisted, string LastExit) : INoSerializationVerificationNeeded;
    private sealed record Exited(int ProcessId, string Sentence) : INoSerializationVerificationNeeded;
    private sealed record StartAgain : INoSerializationVerificationNeeded;

    public const string WhitelistFile = "whitelist";

    private readonly TorrentNodeSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IReadOnlyList<string> _hashes = [];
    private Process? _process;
    private int _starts;
    private string _lastExit = "";
    private TimeSpan _backoff = TimeSpan.FromSeconds(1);

    public OpentrackerActor(TorrentNodeSettings settings)
    {
        _settings = settings;
        Receive<Track>(track =>
        {
            if (track.InfoHashes.SequenceEqual(_hashes)) return;
            _hashes = track.InfoHashes;
            TrackerWhitelist.Write(WhitelistPath, _hashes);
            if (_process is { HasExited: false } p && kill(p.Id, SigHup) == 0)
                _log.Info("opentracker {0} re-reads its whitelist: {1} image(s)", p.Id, _hashes.Count);
        });
        Receive<Exited>(exited =>
        {
            if (_process?.Id != exited.ProcessId) return;
            _process.Dispose();
            _process = null;
            _lastExit = exited.Sentence;
            _log.Warning("{0} It is started again in {1} s.", exited.Sentence, _backoff.TotalSeconds);
            Timers.StartSingleTimer("start", new StartAgain(), _backoff);
            _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        });
        Receive<StartAgain>(_ => StartProcess());
        Receive<GetState>(_ => Sender.Tell(new TrackerState(_process is { HasExited: false } p ? p.Id : null, _starts,
            TrackerWhitelist.Read(WhitelistPath), _lastExit)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TorrentNodeSettings settings) => Akka.Actor.Props.Create(() => new OpentrackerActor(settings));

    private string WhitelistPath => Path.Combine(_settings.WorkDirectory, WhitelistFile);
    private string PidPath => Path.Combine(_settings.WorkDirectory, "opentracker.pid");

    protected override void PreStart()
    {
        Directory.CreateDirectory(_settings.WorkDirectory);
        File.SetUnixFileMode(_settings.WorkDirectory, (UnixFileMode)0b111_101_101); // 0755: opentracker chroots here, then drops root
        TrackerWhitelist.Write(WhitelistPath, _hashes);
        KillLeftover();
        StartProcess();
    }

    protected override void PostStop()
    {
        if (_process is { HasExited: false } p)
        {
            try { p.Kill(); p.WaitForExit(2000); } catch (InvalidOperationException) { }
        }
        _process?.Dispose();
        File.Delete(PidPath);
    }

    /// <summary>The opentracker's command line: bound to the repository's address only, the whitelist in the work directory.</summary>
    public static IReadOnlyList<string> Arguments(TorrentNodeSettings settings, bool root) =>
    [
        "-i", settings.TrackerAddress, "-p", settings.TrackerPort.ToString(), "-P", settings.TrackerPort.ToString(),
        "-d", settings.WorkDirectory, "-w", WhitelistFile, "-A", "127.0.0.1", "-A", settings.TrackerAddress,
        .. root ? new[] { "-u", "nobody" } : [],
    ];

    private void StartProcess()
    {
        var program = ToolLocator.Find("opentracker");
        if (program is null) { _lastExit = "opentracker is not installed."; _log.Error(_lastExit); return; }
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _settings.WorkDirectory };
        foreach (var a in Arguments(_settings, Environment.UserName == "root")) start.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(start)!; }
        catch (Exception e)
        {
            Self.Tell(new Exited(-1, $"opentracker could not be started: {e.Message.TrimEnd('.')}."));
            return;
        }
        _process = process;
        _starts++;
        File.WriteAllText(PidPath, process.Id.ToString());
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } l) { output.Enqueue(l); while (output.Count > 10) output.TryDequeue(out string? _); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } l) { output.Enqueue(l); while (output.Count > 10) output.TryDequeue(out string? _); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var self = Self;
        var id = process.Id;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            var code = SafeExitCode(process);
            var said = string.Join(" ", output).Trim();
            self.Tell(new Exited(id, $"opentracker {id} on {_settings.TrackerAddress}:{_settings.TrackerPort} exited with status {code}{(said.Length > 0 ? $" ({said})" : "")}."));
        };
        if (process.HasExited) self.Tell(new Exited(id, $"opentracker {id} exited at once with status {SafeExitCode(process)}."));
        else _backoff = TimeSpan.FromSeconds(1);
        _log.Info("opentracker {0} serves {1}:{2} for {3} image(s)", id, _settings.TrackerAddress, _settings.TrackerPort, _hashes.Count);
    }

    private static int SafeExitCode(Process p) { try { return p.ExitCode; } catch (InvalidOperationException) { return -1; } }

    /// <summary>An opentracker an earlier run of this node left (the node was killed) would hold the port: it is ended first.</summary>
    private void KillLeftover()
    {
        if (!File.Exists(PidPath) || !int.TryParse(File.ReadAllText(PidPath).Trim(), out var pid)) return;
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            if (cmdline.Contains("opentracker") && cmdline.Contains(_settings.WorkDirectory)) kill(pid, 9);
        }
        catch (IOException) { }
    }

    private const int SigHup = 1;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
