using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using OgActors.Pki;

namespace OgActors.Lab.Virtual;

/// <summary>
/// The virtual classroom: the coordinator and the repository as real processes in the servers' namespace, each computer
/// a real og-client process in its own namespace, all on one bridge with tbf-shaped links (<see cref="ClassroomNetwork"/>).
/// The operator API is reached through <see cref="ApiForwarder"/> on 127.0.0.1. DIR/lab.json is written once the
/// repository is announced and every computer registered, and removed by a clean stop, which also removes every
/// namespace, link and process the lab made.
/// </summary>
public sealed class VirtualLab : IRunningLab
{
    public const int CoordinatorPort = 4053, RepositoryPort = 4055, ClientPort = 4054, ApiPort = 5480, RepositoryHttpPort = 5481;
    public const string RepositoryName = "repo1";

    /// <summary>The nodes' address scheme: the classroom runs with mutual TLS, so akka.ssl.tcp.</summary>
    public const string Scheme = "akka.ssl.tcp";

    private readonly VirtualLabOptions _options;
    private readonly LabLock _lock;
    private readonly ClassroomNetwork _net;
    private readonly Dictionary<string, LabComputerFiles> _files = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<LinkEntry> _links = [];
    private ApiForwarder? _forwarder;
    private int _coordinatorPid, _repositoryPid;
    private bool _stopped;

    private VirtualLab(VirtualLabOptions options, LabLock labLock, string token)
    {
        _options = options;
        _lock = labLock;
        _net = new ClassroomNetwork(options.DataDir);
        Token = token;
    }

    public string DataDir => _options.DataDir;
    public string Token { get; }
    public LabManifest Manifest { get; private set; } = null!;
    public ClassroomNetwork Net => _net;
    public IReadOnlyDictionary<string, LabComputerFiles> ComputerFiles => _files;

    public static async Task<VirtualLab> StartAsync(VirtualLabOptions options, TextWriter? progress = null, CancellationToken cancel = default)
    {
        if (options.Computers is < 1 or > 200) throw new VirtualLabException("A virtual lab needs 1 to 200 computers.");
        if (options.LinkMbit < 1 || options.RepositoryLinkMbit < 1) throw new VirtualLabException("Link rates must be at least 1 Mbit/s.");
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root") throw new VirtualLabException("The virtual lab needs Linux and root (network namespaces, veth, tc).");
        options = options with { DataDir = Path.GetFullPath(options.DataDir) };
        var labLock = LabLock.Take(options.DataDir);
        var lab = new VirtualLab(options, labLock, options.Token ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant());
        try
        {
            await lab.BuildAsync(progress ?? TextWriter.Null, cancel);
            return lab;
        }
        catch
        {
            await lab.StopAsync();
            throw;
        }
    }

    private async Task BuildAsync(TextWriter progress, CancellationToken cancel)
    {
        _net.RemoveLeftovers();
        LabManifest.Delete(DataDir);
        progress.WriteLine($"og-lab: building the classroom network {ClassroomNetwork.Network} (namespaces {_net.Prefix}*)");
        _links.Add(_net.CreateCore(_options.RepositoryLinkMbit));
        for (var i = 1; i <= _options.Computers; i++)
        {
            var files = LabComputerFiles.Prepare(DataDir, _options.ComputerAt(i));
            _files[files.Computer.Name] = files;
            _links.Add(_net.AddComputer(files.Computer.Name, i, _options.LinkMbit));
        }

        // Mutual TLS as in a real installation: a throwaway CA in DIR/pki, a server certificate for the coordinator and the
        // repository, a computer certificate for each computer.
        var pki = LabPki.Create(DataDir);
        var seed = $"{Scheme}://ogactors@{ClassroomNetwork.ServerIp}:{CoordinatorPort}";
        _coordinatorPid = NamespacedProcess.Start(_net.ServerNamespace,
            ["dotnet", NodeBinary("OgActors.Coordinator", "og-coordinator"), "--hostname", ClassroomNetwork.ServerIp, "--port", $"{CoordinatorPort}",
             "--data", Path.Combine(DataDir, "coordinator"), "--api-url", $"http://{ClassroomNetwork.ServerIp}:{ApiPort}", "--token", Token,
             .. pki.Arguments("coordinator", CertificateRole.Server)],
            LogOf("coordinator"));
        _forwarder = new ApiForwarder(_options.ApiPort, _net.ServerNamespace, new IPEndPoint(IPAddress.Parse(ClassroomNetwork.ServerIp), ApiPort));
        using var api = new HttpClient { BaseAddress = new Uri(_forwarder.Url + "/api/"), Timeout = TimeSpan.FromSeconds(5) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var deadline = DateTime.UtcNow + _options.ReadyTimeout;
        await UntilAsync(api, "repositories", _ => true, deadline, "The coordinator's API did not answer", cancel);

        _repositoryPid = NamespacedProcess.Start(_net.ServerNamespace,
            ["dotnet", NodeBinary("OgActors.RepositoryNode", "og-repository"), "--hostname", ClassroomNetwork.ServerIp, "--port", $"{RepositoryPort}",
             "--seed", seed, "--data", Path.Combine(DataDir, "repository"), "--name", RepositoryName,
             "--images", Path.Combine(DataDir, "repository", "images"), "--http-url", $"http://{ClassroomNetwork.ServerIp}:{RepositoryHttpPort}",
             .. pki.Arguments(RepositoryName, CertificateRole.Server)],
            LogOf("repository"));
        await UntilAsync(api, "repositories", list => list.EnumerateArray().Any(r => Is(r, "name", RepositoryName) && r.GetProperty("online").GetBoolean()),
            deadline, $"Repository {RepositoryName} was not announced", cancel);

        var entries = new List<LabComputerEntry>();
        var index = 0;
        foreach (var files in _files.Values)
        {
            index++;
            var ns = _net.ComputerNamespace(files.Computer.Name);
            var ip = ClassroomNetwork.ComputerIp(index);
            List<string> command =
            [
                "dotnet", NodeBinary("OgActors.ClientNode", "og-client"), "--hostname", ip, "--port", $"{ClientPort}", "--seed", seed,
                "--name", files.Computer.Name, "--data", files.DataDir, "--cache", files.CacheDir, "--cache-capacity", $"{files.Computer.CacheCapacity}",
                .. files.Partitions.SelectMany(p => new[] { "--partition", $"{p.Number}={p.File}" }),
                "--set", $"og.computer.repositories.{RepositoryName}=\"http://{ClassroomNetwork.ServerIp}:{RepositoryHttpPort}\"",
                "--set", "og.computer.register-retry=1s",
                .. pki.Arguments(files.Computer.Name, CertificateRole.Computer),
            ];
            var log = LogOf(files.Computer.Name);
            var pid = NamespacedProcess.Start(ns, command, log);
            entries.Add(new LabComputerEntry(files.Computer.Name, files.DataDir, ClassroomNetwork.MacOf(ns), ip, $"{Scheme}://ogactors@{ip}:{ClientPort}",
                files.Partitions, files.CacheDir, files.Computer.CacheCapacity, ns, pid, command, log, _options.LinkMbit));
        }
        await UntilAsync(api, "computers", list => _files.Keys.All(name => list.EnumerateArray().Any(c => Is(c, "name", name) && c.GetProperty("online").GetBoolean())),
            deadline, "Not every computer registered", cancel);

        Manifest = new LabManifest(_forwarder.Url, Token, seed, "sqlite: " + Path.Combine(DataDir, "coordinator", "journal.db"),
            Path.Combine(DataDir, "repository", "images"),
            new LabRepositoryEntry(RepositoryName, $"{Scheme}://ogactors@{ClassroomNetwork.ServerIp}:{RepositoryPort}", Path.Combine(DataDir, "repository", "images"),
                $"http://{ClassroomNetwork.ServerIp}:{RepositoryHttpPort}"),
            entries, Environment.ProcessId, DateTimeOffset.UtcNow,
            new LabNetworkEntry(ClassroomNetwork.Network, ClassroomNetwork.MulticastGroup, _net.Prefix, _net.BridgeNamespace, ClassroomNetwork.BridgeName,
                _net.ServerNamespace, ClassroomNetwork.ServerIp, _coordinatorPid, _repositoryPid, _links));
        Manifest.Write(DataDir);
    }

    private static bool Is(JsonElement e, string property, string value) =>
        e.TryGetProperty(property, out var p) && string.Equals(p.GetString(), value, StringComparison.OrdinalIgnoreCase);

    private async Task UntilAsync(HttpClient api, string path, Func<JsonElement, bool> done, DateTime deadline, string failure, CancellationToken cancel)
    {
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            if (!NamespacedProcess.IsAlive(_coordinatorPid)) throw new VirtualLabException($"The coordinator exited; see {LogOf("coordinator")}.");
            if (_repositoryPid > 0 && !NamespacedProcess.IsAlive(_repositoryPid)) throw new VirtualLabException($"The repository exited; see {LogOf("repository")}.");
            try
            {
                using var response = await api.GetAsync(path, cancel);
                if (response.IsSuccessStatusCode && done(JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel)).RootElement)) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException && !cancel.IsCancellationRequested) { }
            if (DateTime.UtcNow > deadline)
                throw new VirtualLabException($"{failure} within {_options.ReadyTimeout.TotalSeconds:0} s (logs in {Path.Combine(DataDir, "logs")}).");
            await Task.Delay(200, cancel);
        }
    }

    private string LogOf(string node) => Path.Combine(DataDir, "logs", node + ".log");

    /// <summary>A node's built binary beside og-lab's: artifacts/bin/PROJECT/release/NAME.dll.</summary>
    public static string NodeBinary(string project, string name)
    {
        var path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", project, "release", name + ".dll"));
        return File.Exists(path) ? path : throw new VirtualLabException($"{path} is missing; build the solution first (scripts/bootstrap.sh).");
    }

    /// <summary>
    /// Stops cleanly: the computers first (SIGTERM: they unregister), then the repository and the coordinator; whatever
    /// has not exited after a grace period is killed; then the namespaces (and with them every veth) go, and lab.json.
    /// </summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await StopNamespacesAsync(_files.Keys.Select(_net.ComputerNamespace).ToList(), TimeSpan.FromSeconds(10));
        if (_repositoryPid > 0) { NetNs.Kill(_repositoryPid, NetNs.SigTerm); await WaitGoneAsync([_repositoryPid], TimeSpan.FromSeconds(10)); }
        await StopNamespacesAsync([_net.ServerNamespace], TimeSpan.FromSeconds(10));
        if (_forwarder is not null) await _forwarder.DisposeAsync();
        _net.Remove(_files.Keys);
        _net.RemoveLeftovers();
        LabManifest.Delete(DataDir);
        _lock.Dispose();
    }

    private static async Task StopNamespacesAsync(IReadOnlyList<string> namespaces, TimeSpan grace)
    {
        var pids = namespaces.SelectMany(NetNs.Pids).ToList();
        foreach (var pid in pids) NetNs.Kill(pid, NetNs.SigTerm);
        if (!await WaitGoneAsync(pids, grace))
            foreach (var ns in namespaces) NetNs.Signal(ns, NetNs.SigKill);
        await WaitGoneAsync(namespaces.SelectMany(NetNs.Pids).ToList(), TimeSpan.FromSeconds(5));
    }

    private static async Task<bool> WaitGoneAsync(IReadOnlyList<int> pids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (pids.Any(NamespacedProcess.IsAlive))
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(100);
        }
        return true;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
