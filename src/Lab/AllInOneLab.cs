using System.Security.Cryptography;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OgActors.ClientNode.Hosting;
using OgActors.Coordinator.Computers;
using OgActors.Coordinator.Hosting;
using OgActors.Hosting.Configuration;
using OgActors.Messages.Computers;
using OgActors.Pki;
using OgActors.RepositoryNode.Hosting;
using static OgActors.Hosting.Configuration.OgConfiguration;

namespace OgActors.Lab;

/// <summary>
/// The all-in-one lab: a coordinator (or several, <see cref="LabOptions.Coordinators"/>), one repository (or several,
/// <see cref="LabOptions.Repositories"/>) and N computers' client nodes, each its own ActorSystem on 127.0.0.1 with free ports, in one process. Writes DIR/lab.json once every
/// computer is registered.
/// </summary>
public sealed class AllInOneLab : IRunningLab
{
    private readonly Dictionary<string, ClientNodeHost?> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, LabComputerFiles> _files = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<CoordinatorNode> _coordinators = [];
    private readonly HashSet<CoordinatorNode> _crashed = [];
    private readonly List<RepositoryNodeHost> _repositories = [];
    private readonly HashSet<RepositoryNodeHost> _crashedRepositories = [];
    private bool _stopped;
    private LabLock? _lock;
    private LabPki? _pki;

    private AllInOneLab(LabOptions options, string token, CoordinatorNode coordinator)
    {
        Options = options;
        Token = token;
        Coordinator = coordinator;
    }

    public LabOptions Options { get; }
    public string DataDir => Options.DataDir;
    public string Token { get; }
    /// <summary>A running coordinator: the first one, or after <see cref="CrashCoordinatorAsync"/> one that still runs.</summary>
    public CoordinatorNode Coordinator { get; private set; }

    /// <summary>Every coordinator the lab started, in order (the first founded the cluster), crashed ones included.</summary>
    public IReadOnlyList<CoordinatorNode> Coordinators => _coordinators;

    /// <summary>Whether <paramref name="coordinator"/> was crashed by <see cref="CrashCoordinatorAsync"/>.</summary>
    public bool IsCrashed(CoordinatorNode coordinator) => _crashed.Contains(coordinator);

    /// <summary>Akka addresses of every coordinator: the seed nodes of the repository and the contact points of the computers.</summary>
    private IEnumerable<string> CoordinatorAddresses => _coordinators.Select(c => c.Cluster.SelfAddress.ToString());
    /// <summary>The first repository (repo1).</summary>
    public RepositoryNodeHost Repository { get; private set; } = null!;

    /// <summary>Every repository the lab started (repo1, repo2, …), crashed ones included.</summary>
    public IReadOnlyList<RepositoryNodeHost> Repositories => _repositories;

    /// <summary>Whether <paramref name="repository"/> was crashed by <see cref="CrashRepositoryAsync"/>.</summary>
    public bool IsCrashed(RepositoryNodeHost repository) => _crashedRepositories.Contains(repository);
    public LabManifest Manifest { get; private set; } = null!;
    public IReadOnlyDictionary<string, LabComputerFiles> ComputerFiles => _files;

    /// <summary>The running client node of a computer (null while it is stopped).</summary>
    public ClientNodeHost? Client(string name) => _clients.GetValueOrDefault(name);

    public static async Task<AllInOneLab> StartAsync(LabOptions options, CancellationToken cancellationToken = default)
    {
        if (options.Computers < 0) throw new SettingsException("The lab needs 0 or more computers.");
        if (options.Coordinators < 1) throw new SettingsException("The lab needs at least one coordinator.");
        if (options.Repositories < 1) throw new SettingsException("The lab needs at least one repository.");
        var dataDir = Path.GetFullPath(options.DataDir);
        options = options with { DataDir = dataDir };
        var labLock = LabLock.Take(dataDir);
        LabManifest.Delete(dataDir); // a crashed run's manifest describes a lab that is gone
        var token = options.Token ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

        // Several coordinators sign and check upload capabilities with one secret (each would otherwise make its own).
        var secret = options.Coordinators > 1 ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) : null;
        CoordinatorNode coordinator;
        LabPki? pki;
        try
        {
            pki = options.Tls ? LabPki.Create(dataDir) : null;
            coordinator = await CoordinatorNode.StartAsync(CoordinatorConfig(options, token, 1, null, secret, pki), options.CoordinatorModules, cancellationToken);
        }
        catch { labLock.Dispose(); throw; }
        var lab = new AllInOneLab(options, token, coordinator) { _lock = labLock, _pki = pki };
        lab._coordinators.Add(coordinator);
        try
        {
            await coordinator.WaitUntilUpAsync(options.ReadyTimeout);
            for (var i = 2; i <= options.Coordinators; i++)
            {
                var next = await CoordinatorNode.StartAsync(CoordinatorConfig(options, token, i, coordinator.Cluster.SelfAddress.ToString(), secret, pki),
                    options.CoordinatorModules, cancellationToken);
                lab._coordinators.Add(next);
                await next.WaitUntilUpAsync(options.ReadyTimeout);
            }
            for (var i = 1; i <= options.Repositories; i++)
            {
                var repository = await RepositoryNodeHost.StartAsync(lab.RepositoryConfig(i), options.RepositoryModules, cancellationToken);
                lab._repositories.Add(repository);
                if (i == 1) lab.Repository = repository;
                await repository.WaitUntilUpAsync(options.ReadyTimeout);
            }
            for (var i = 1; i <= options.Computers; i++)
            {
                var files = LabComputerFiles.Prepare(dataDir, options.ComputerAt(i));
                lab._files[files.Computer.Name] = files;
            }
            await Task.WhenAll(lab._files.Keys.ToList().Select(name => lab.StartComputerAsync(name, cancellationToken)));
            await lab.WaitForComputersAsync(c => c.Online, options.ReadyTimeout, cancellationToken);
            await lab.WaitForRepositoryAsync(options.ReadyTimeout, cancellationToken);
            lab.Manifest = lab.BuildManifest();
            lab.Manifest.Write(dataDir);
            return lab;
        }
        catch
        {
            await lab.StopAsync();
            throw;
        }
    }

    // ---- computers ---------------------------------------------------------------------------------------------

    /// <summary>Starts (or restarts) a computer's client node; it registers by itself.</summary>
    public async Task<ClientNodeHost> StartComputerAsync(string name, CancellationToken cancellationToken = default)
    {
        var files = _files.GetValueOrDefault(name) ?? throw new ArgumentException($"The lab has no computer '{name}'.", nameof(name));
        if (_clients.GetValueOrDefault(name) is { } running) return running;
        var client = await ClientNodeHost.StartAsync(ClientConfig(files), Options.ClientConfigurators, cancellationToken);
        lock (_clients) _clients[name] = client;
        return client;
    }

    /// <summary>Stops a computer's client node: cleanly (it unregisters) or, with <paramref name="unregister"/> false, like a power cut.</summary>
    public async Task StopComputerAsync(string name, bool unregister = true)
    {
        if (_clients.GetValueOrDefault(name) is not { } client) return;
        lock (_clients) _clients[name] = null;
        await client.StopAsync(unregister);
        client.Host.Dispose();
    }

    /// <summary>The registry's view of every computer.</summary>
    public async Task<IReadOnlyList<ComputerStatus>> ComputersAsync(CancellationToken cancellationToken = default)
    {
        var registry = Coordinator.App.Services.GetRequiredService<IRequiredActor<ComputerRegistry>>().ActorRef;
        return (await registry.Ask<ComputerList>(new ListComputers(), TimeSpan.FromSeconds(5), cancellationToken)).Computers;
    }

    /// <summary>Waits until every lab computer satisfies <paramref name="condition"/> in the registry.</summary>
    public async Task WaitForComputersAsync(Func<ComputerStatus, bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var computers = await ComputersAsync(cancellationToken);
            var missing = _files.Keys.Where(n => !computers.Any(c => c.Name.Equals(n, StringComparison.OrdinalIgnoreCase) && condition(c))).ToList();
            if (missing.Count == 0) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Computer(s) {string.Join(", ", missing)} did not register within {timeout.TotalSeconds:0} s.");
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Waits until the coordinator's repository registry has every running repository of the lab online (announced).</summary>
    public async Task WaitForRepositoryAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var names = _repositories.Where(r => !IsCrashed(r)).Select(r => r.Settings.Name).ToList();
        var registry = Coordinator.App.Services.GetRequiredService<IRequiredActor<OgActors.Coordinator.Repositories.RepositoryRegistryActor>>().ActorRef;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var list = await registry.Ask<OgActors.Messages.Repositories.RepositoryList>(new OgActors.Messages.Repositories.ListRepositories(false), TimeSpan.FromSeconds(5), cancellationToken);
            var missing = names.Where(n => !list.Repositories.Any(r => r.Name == n && r.Online)).ToList();
            if (missing.Count == 0) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Repository {string.Join(", ", missing)} was not announced within {timeout.TotalSeconds:0} s.");
            await Task.Delay(100, cancellationToken);
        }
    }

    // ---- configuration of each node ----------------------------------------------------------------------------

    /// <summary>The lab's throwaway CA (DIR/pki), or null when the lab runs without TLS.</summary>
    public LabPki? Pki => _pki;

    /// <summary>A node's og.tls settings: its certificate from the lab's CA, or TLS off.</summary>
    private static string Tls(LabPki? pki, string name, CertificateRole role) =>
        pki?.Hocon(name, role) ?? "og.tls.enabled = off";

    /// <summary>Coordinator <paramref name="index"/> (1 = the first, data dir "coordinator"; then "coordinator2", ...).</summary>
    private static Config CoordinatorConfig(LabOptions options, string token, int index, string? seed, string? secret, LabPki? pki) => OgConfiguration.Build(
        NodeRole.Coordinator, null,
        options.CoordinatorHocon,
        Tls(pki, index == 1 ? "coordinator" : $"coordinator{index}", CertificateRole.Server),
        $$"""
        og.node { hostname = "127.0.0.1", port = 0, data-dir = {{Quote(Path.Combine(options.DataDir, index == 1 ? "coordinator" : $"coordinator{index}"))}} }
        og.cluster.seed-nodes = [{{(seed is null ? "" : Quote(seed))}}]
        og.coordinator.api { url = "http://127.0.0.1:0", token = {{Quote(token)}} }
        {{(secret is null ? "" : $"og.coordinator.uploads.secret = {Quote(secret)}")}}
        """,
        // A crash of one coordinator (CrashCoordinatorAsync) is its ActorSystem terminated without leaving the cluster.
        options.Coordinators > 1 ? "akka.coordinated-shutdown.run-by-actor-system-terminate = off" : "",
        options.CommonHocon);

    /// <summary>The data directory of repository <paramref name="index"/> (1 = repo1 in "repository", then "repository2", …).</summary>
    public static string RepositoryDir(string dataDir, int index) => Path.Combine(dataDir, index == 1 ? "repository" : $"repository{index}");

    /// <summary>Repository <paramref name="index"/>: repo1, repo2, … (several: one can be crashed, its ActorSystem terminated without leaving).</summary>
    private Config RepositoryConfig(int index) => OgConfiguration.Build(NodeRole.Repository, null,
        Tls(_pki, index == 1 ? "repository" : $"repository{index}", CertificateRole.Server),
        $$"""
        og.node { hostname = "127.0.0.1", port = 0, data-dir = {{Quote(RepositoryDir(DataDir, index))}} }
        og.cluster.seed-nodes = [{{string.Join(", ", CoordinatorAddresses.Select(Quote))}}]
        og.repository { name = "repo{{index}}", images-dir = {{Quote(Path.Combine(RepositoryDir(DataDir, index), "images"))}}, http-url = "http://127.0.0.1:0" }
        og.repository.torrent.tracker-port = 0
        """,
        Options.Repositories > 1 ? "akka.coordinated-shutdown.run-by-actor-system-terminate = off" : "",
        Options.CommonHocon);

    private Config ClientConfig(LabComputerFiles files)
    {
        var index = _files.Keys.ToList().IndexOf(files.Computer.Name) + 1;
        var partitions = string.Join(", ", files.Partitions.Select(p => $"{{ number = {p.Number}, device = {Quote(p.File)} }}"));
        return OgConfiguration.Build(NodeRole.Client, null,
            Tls(_pki, files.Computer.Name, CertificateRole.Computer),
            $$"""
            og.node { hostname = "127.0.0.1", port = 0, data-dir = {{Quote(files.DataDir)}} }
            og.cluster.seed-nodes = [{{string.Join(", ", CoordinatorAddresses.Select(Quote))}}]
            og.computer {
              name = {{Quote(files.Computer.Name)}}
              mac = {{Quote(LabMac(index))}}
              ip = "127.0.0.1"
              partitions = [{{partitions}}]
              cache { dir = {{Quote(files.CacheDir)}}, capacity = {{files.Computer.CacheCapacity}} }
              register-retry = 1s
              repositories { {{string.Join(", ", _repositories.Select(r => $"{Quote(r.Settings.Name)} = {Quote(r.HttpUrl.ToString())}"))}} }
            }
            """,
            Options.CommonHocon);
    }

    /// <summary>Locally administered MACs, one per lab computer.</summary>
    private static string LabMac(int index) => $"02:0a:c7:00:{index / 256:x2}:{index % 256:x2}";

    private LabManifest BuildManifest() => new(
        Coordinator.ApiUrl.ToString().TrimEnd('/'),
        Token,
        Coordinator.Cluster.SelfAddress.ToString(),
        Coordinator.Journal.Describe(),
        Repository.Settings.ImagesDir,
        new LabRepositoryEntry(Repository.Settings.Name, Repository.Cluster.SelfAddress.ToString(), Repository.Settings.ImagesDir,
            Repository.HttpUrl.ToString().TrimEnd('/')),
        [.. _files.Values.Select(f => new LabComputerEntry(f.Computer.Name, f.DataDir, LabMac(_files.Keys.ToList().IndexOf(f.Computer.Name) + 1),
            "127.0.0.1", _clients[f.Computer.Name]!.Address.ToString(), f.Partitions, f.CacheDir, f.Computer.CacheCapacity))],
        Environment.ProcessId,
        DateTimeOffset.UtcNow);

    // ---- a coordinator crash ------------------------------------------------------------------------------------

    /// <summary>
    /// Crashes coordinator <paramref name="index"/> (0-based) the way a SIGKILL does, as far as the rest of the cluster can
    /// tell: its ActorSystem is terminated without leaving the cluster (no hand-over of shards or singletons, no goodbye to
    /// the computers), then its API stops. The others notice it unreachable and the split-brain resolver downs it.
    /// <see cref="Coordinator"/> becomes a coordinator that still runs.
    /// </summary>
    public async Task CrashCoordinatorAsync(int index)
    {
        var victim = _coordinators[index];
        if (!_crashed.Add(victim)) return;
        if (victim.System.Settings.Config.GetBoolean("akka.coordinated-shutdown.run-by-actor-system-terminate"))
            throw new InvalidOperationException("Only a lab of several coordinators can crash one.");
        await victim.System.Terminate();
        try { await victim.DisposeAsync(); } catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or InvalidOperationException) { }
        if (Coordinator == victim) Coordinator = _coordinators.First(c => !_crashed.Contains(c));
    }

    // ---- a repository crash ------------------------------------------------------------------------------------

    /// <summary>
    /// Crashes repository <paramref name="name"/> the way a SIGKILL or a power cut does: its ActorSystem is terminated without
    /// leaving the cluster (the coordinators notice it unreachable, the split-brain resolver downs it), and its HTTP service
    /// stops at once, aborting the downloads under way (no graceful drain). Only a lab of several repositories can crash one.
    /// </summary>
    public async Task CrashRepositoryAsync(string name)
    {
        var victim = _repositories.FirstOrDefault(r => r.Settings.Name == name) ?? throw new ArgumentException($"The lab has no repository '{name}'.", nameof(name));
        if (!_crashedRepositories.Add(victim)) return;
        if (victim.System.Settings.Config.GetBoolean("akka.coordinated-shutdown.run-by-actor-system-terminate"))
            throw new InvalidOperationException("Only a lab of several repositories can crash one.");
        await victim.System.Terminate();
        try { await victim.App.StopAsync(new CancellationToken(canceled: true)); }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or InvalidOperationException) { }
        try { await victim.App.DisposeAsync(); }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or InvalidOperationException) { }
    }

    // ---- stopping ----------------------------------------------------------------------------------------------

    /// <summary>Stops cleanly: computers unregister, then the repository and the coordinator leave the cluster.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await Task.WhenAll(_clients.Keys.ToList().Select(name => StopComputerAsync(name)));
        foreach (var repository in _repositories.Where(r => !IsCrashed(r)).ToList()) await repository.DisposeAsync();
        // The younger coordinators leave first, so the first one's singletons do not move for nothing.
        foreach (var coordinator in Enumerable.Reverse(_coordinators).Where(c => !_crashed.Contains(c)).ToList()) await coordinator.DisposeAsync();
        if (_lock is not null)
        {
            LabManifest.Delete(DataDir);
            _lock.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
