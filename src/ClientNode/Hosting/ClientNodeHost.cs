using Akka;
using Akka.Actor;
using System.Collections.Immutable;
using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OgActors.ClientNode.Computer;
using OgActors.Hosting.Cluster;
using OgActors.Hosting.Configuration;
using OgActors.Hosting.Logging;
using OgActors.Messages.Computers;

namespace OgActors.ClientNode.Hosting;

/// <summary>ActorRegistry key of the ClusterClient towards the coordinators' receptionists.</summary>
public sealed class CoordinatorClient;

/// <summary>ActorRegistry key of the computer's agent (<c>/user/computer-agent</c>).</summary>
public sealed class Agent;

/// <summary>
/// A running client node: one computer's agent in an ActorSystem that is NOT a cluster member (Akka.Remote only),
/// talking to the coordinators through ClusterClient. Extra configurators add actors next to the agent.
/// </summary>
public sealed class ClientNodeHost : IAsyncDisposable
{
    private bool _unregisterOnStop = true;

    private ClientNodeHost(IHost host, NodeSettings node, ComputerSettings computer)
    {
        Host = host;
        Node = node;
        Computer = computer;
    }

    public IHost Host { get; }
    public NodeSettings Node { get; }
    public ComputerSettings Computer { get; }
    public ActorSystem System => Host.Services.GetRequiredService<ActorSystem>();
    public IActorRef Agent => Host.Services.GetRequiredService<ActorRegistry>().Get<Agent>();

    /// <summary>The agent's address as the coordinators see it.</summary>
    public Address Address => ((ExtendedActorSystem)System).Provider.DefaultAddress;

    public static ClientNodeHost Create(Config config, IEnumerable<Action<AkkaConfigurationBuilder, IServiceProvider>>? configurators = null)
    {
        var node = NodeSettings.From(config);
        if (node.SeedNodes.Count == 0)
            throw new SettingsException("A client needs the coordinators' addresses: set og.cluster.seed-nodes (--seed akka.tcp://ogactors@HOST:4053).");
        node.EnsureDataDir();
        var computer = ComputerSettings.From(config, node);
        var (detectedMac, detectedIp) = computer.Mac is null || computer.Ip is null ? NetworkIdentity.Detect(node.Hostname) : ("", "");
        var mac = computer.Mac ?? detectedMac;
        var ip = computer.Ip ?? detectedIp;
        var contacts = node.SeedNodes.Select(s => ActorPath.Parse(s.TrimEnd('/') + "/system/receptionist")).ToList();

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        OgLogging.Configure(builder.Logging, "client");
        builder.Services.AddSingleton(config).AddSingleton(node).AddSingleton(computer);
        builder.Services.AddAkka(node.SystemName, (akka, services) =>
        {
            akka.WithOgNode(config, node)
                // A client is not a member, so nothing loads Cluster.Tools' serializer bindings unless we do: without them the
                // ClusterClient's envelopes fall back to Newtonsoft (and IReadOnlyList payloads fail to deserialize).
                .AddHocon(DistributedPubSub.DefaultConfig(), HoconAddMode.Append)
                .AddHocon(ClusterClientReceptionist.DefaultConfig(), HoconAddMode.Append)
                .WithActors((system, registry) =>
                {
                    // Created from ClusterClientSettings.Create so akka.cluster.client.* (use-legacy-serialization = off) applies.
                    var clusterClient = system.ActorOf(ClusterClient.Props(
                        ClusterClientSettings.Create(system).WithInitialContacts(contacts.ToImmutableHashSet())), "cluster-client");
                    registry.Register<CoordinatorClient>(clusterClient);
                    var agent = system.ActorOf(ComputerAgent.Props(clusterClient,
                        () => InventoryProbe.Read(computer, mac, ip, PartitionLedger.For(node)), computer.RegisterRetry), ComputerRegistryPaths.AgentName);
                    registry.Register<Agent>(agent);
                });
            foreach (var configure in configurators ?? []) configure(akka, services);
        });
        var host = builder.Build();
        var client = new ClientNodeHost(host, node, computer);
        return client;
    }

    public static async Task<ClientNodeHost> StartAsync(Config config,
        IEnumerable<Action<AkkaConfigurationBuilder, IServiceProvider>>? configurators = null, CancellationToken cancellationToken = default)
    {
        var client = Create(config, configurators);
        await client.Host.StartAsync(cancellationToken);
        client.RegisterLeaveOnShutdown();
        client.Host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("og-client")
            .LogInformation("Computer {Name} agent at {Address}, coordinators {Seeds}", client.Computer.Name, client.Address, string.Join(", ", client.Node.SeedNodes));
        return client;
    }

    /// <summary>A clean shutdown unregisters the computer before remoting stops, so it goes offline at once.</summary>
    private void RegisterLeaveOnShutdown()
    {
        var agent = Agent;
        CoordinatedShutdown.Get(System).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "unregister-computer", async () =>
        {
            if (!_unregisterOnStop) return Done.Instance;
            try { await agent.Ask<ComputerUnregistered>(new ComputerAgent.LeaveRegistry(), TimeSpan.FromSeconds(4)); }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException) { }
            return Done.Instance;
        });
    }

    /// <summary>Stops the node; unregisters first unless <paramref name="unregister"/> is false (a power cut, for the lab and tests).</summary>
    public async Task StopAsync(bool unregister = true)
    {
        _unregisterOnStop = unregister;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Host.StopAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Host.Dispose();
    }
}
