using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using OgActors.Imaging.Processes;

namespace OgActors.Imaging.Torrent;

/// <summary>How one aria2c is started: where it listens for peers, how fast it may upload, where its log goes.</summary>
/// <param name="ListenPort">BitTorrent TCP port (0 = a free one).</param>
/// <param name="MaxOverallUploadBytesPerSecond">aria2 <c>--max-overall-upload-limit</c>; 0 = unlimited.</param>
public sealed record Aria2Options(int ListenPort = 0, long MaxOverallUploadBytesPerSecond = 0, string LogFile = "")
{
    /// <summary>Test hook: run aria2c under this command (e.g. <c>ip netns exec NS</c>).</summary>
    public IReadOnlyList<string>? Wrapper { get; init; }
}

/// <summary>
/// One real <c>aria2c --enable-rpc</c>, supervised: RPC on 127.0.0.1 only with a random secret; DHT, DHT6, local peer
/// discovery and peer exchange always off (our torrents are private and our peers only the lab's); no seed-ratio limit;
/// <c>--stop-with-process</c> = this process, so aria2 never outlives the node even if the node is killed.
/// <see cref="Dispose"/> ends it (a graceful <c>aria2.shutdown</c> first: it tells the trackers it stopped).
/// </summary>
public sealed class Aria2Process : IDisposable
{
    private readonly Process _process;

    private Aria2Process(Process process, Aria2Rpc rpc, int listenPort) { _process = process; Rpc = rpc; ListenPort = listenPort; }

    public Aria2Rpc Rpc { get; }

    public int ListenPort { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static bool Available => ToolLocator.IsInstalled("aria2c");

    /// <summary>The safety options every aria2c of ours carries, whatever else it is told.</summary>
    public static IReadOnlyList<string> SafetyArguments { get; } =
        ["--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false"];

    public static IReadOnlyList<string> Arguments(int rpcPort, string secret, int listenPort, Aria2Options options)
    {
        List<string> args =
        [
            "--enable-rpc=true", "--rpc-listen-all=false", $"--rpc-listen-port={rpcPort}", $"--rpc-secret={secret}",
            "--rpc-max-request-size=16M",
            .. SafetyArguments,
            "--seed-ratio=0.0", $"--listen-port={listenPort}", $"--stop-with-process={Environment.ProcessId}",
            "--bt-tracker-interval=2", "--bt-tracker-connect-timeout=5", "--bt-tracker-timeout=10",
            "--bt-request-peer-speed-limit=0", "--file-allocation=none", "--auto-save-interval=1",
            "--allow-overwrite=false", "--bt-save-metadata=false", "--follow-torrent=false", "--check-certificate=false",
            "--max-concurrent-downloads=16", "--bt-max-peers=0", "--disable-ipv6=true", "--summary-interval=0",
            "--console-log-level=warn", "--daemon=false",
        ];
        if (options.MaxOverallUploadBytesPerSecond > 0) args.Add($"--max-overall-upload-limit={options.MaxOverallUploadBytesPerSecond}");
        if (options.LogFile.Length > 0) args.AddRange([$"--log={options.LogFile}", "--log-level=notice"]);
        return args;
    }

    /// <summary>Starts aria2c and waits until its RPC answers; one sentence when it cannot.</summary>
    public static async Task<Aria2Process> StartAsync(Aria2Options options, HttpClient http, CancellationToken cancellationToken = default)
    {
        var program = ToolLocator.Find("aria2c") ?? throw new Aria2Exception("aria2c is not installed (it is not on PATH).");
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var rpcPort = FreePort();
        var listenPort = options.ListenPort > 0 ? options.ListenPort : FreePort();
        var wrapper = options.Wrapper ?? [];
        var start = new ProcessStartInfo(wrapper.Count > 0 ? wrapper[0] : program)
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var a in wrapper.Skip(1)) start.ArgumentList.Add(a);
        if (wrapper.Count > 0) start.ArgumentList.Add(program);
        foreach (var a in Arguments(rpcPort, secret, listenPort, options)) start.ArgumentList.Add(a);
        var process = Process.Start(start) ?? throw new Aria2Exception("aria2c could not be started.");
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Keep(errors, line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Keep(errors, line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var rpc = new Aria2Rpc(http, new Uri($"http://127.0.0.1:{rpcPort}/jsonrpc"), secret);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            if (process.HasExited)
                throw new Aria2Exception($"aria2c exited with status {process.ExitCode} at start: {string.Join(" ", errors).Trim()}".TrimEnd(' ', ':') + ".");
            try
            {
                await rpc.VersionAsync(cancellationToken);
                return new Aria2Process(process, rpc, listenPort);
            }
            catch (Aria2Exception) when (DateTime.UtcNow < until) { await Task.Delay(100, cancellationToken); }
            catch (Aria2Exception)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                throw new Aria2Exception($"aria2c did not answer on its RPC port {rpcPort} within 15 s.");
            }
        }
    }

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> lines, string line)
    {
        lines.Enqueue(line);
        while (lines.Count > 20) lines.TryDequeue(out _);
    }

    /// <summary>A TCP port free on this host now (aria2 binds it a moment later).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task WaitForExitAsync(CancellationToken cancellationToken) => await _process.WaitForExitAsync(cancellationToken);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try { Rpc.ShutdownAsync().Wait(TimeSpan.FromSeconds(2)); } catch (Exception) { }
            try { if (!_process.WaitForExit(3000)) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
        _process.Dispose();
    }
}
