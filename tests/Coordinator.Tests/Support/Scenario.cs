using Akka.Actor;
using Akka.TestKit;
using OgActors.Coordinator.Computers;
using OgActors.Coordinator.Domain;
using OgActors.Coordinator.Repositories;
using OgActors.Coordinator.Sessions;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;
using OgActors.Messages.Computers;
using OgActors.Messages.Images;
using OgActors.Messages.Repositories;

namespace OgActors.Coordinator.Tests.Support;

/// <summary>Operator steps shared by the tests, each checked to be accepted.</summary>
public static class Scenario
{
    public static async Task DefineClassroomAsync(CoordinatorDomain d, string name, string network, params string[] computers)
    {
        (await d.AskAsync(new DefineClassroom(name, network, "alice"))).Should().BeOfType<Accepted>();
        var prefix = network[..network.LastIndexOf('.')];
        for (var i = 0; i < computers.Length; i++)
            (await d.AddComputerAsync(new AddComputer(name, computers[i], $"{prefix}.{i + 11}", $"52:54:00:00:{i / 256:x2}:{i % 256:x2}",
                "repo1", 8L << 30, "alice"))).Should().BeOfType<Accepted>($"{computers[i]} must be added");
    }

    /// <summary>Classroom "lab" (10.1.2.0/24) with these computers, repository repo1 announced, image win11 linked to its file.</summary>
    public static async Task DefineLabAsync(DomainHost host, params string[] computers)
    {
        await DefineClassroomAsync(host.Domain, "lab", "10.1.2.0/24", computers);
        await AnnounceRepositoryAsync(host);
        await DefineLinkedImageAsync(host.Domain, "win11");
    }

    /// <summary>
    /// A coordinator whose sessions and job dispatcher check what they hear against its computer registry
    /// (<see cref="SessionSettings.RegisteredAgent"/>), as a real coordinator's do; jobs are resent every 400 ms.
    /// </summary>
    public static async Task<DomainHost> StartCheckingRegistryAsync(JournalStore store)
    {
        DomainHost? host = null;
        var settings = new SessionSettings
        {
            ResendInterval = TimeSpan.FromMilliseconds(400),
            RegisteredAgent = async pc => await host!.Registry.Get<ComputerRegistry>().Ask<object>(new GetComputer(pc), TimeSpan.FromSeconds(5))
                is ComputerStatus { Online: true } s ? s.Agent : null,
        };
        host = await DomainHost.StartAsync(store, settings, serializeMessages: false);
        return host;
    }

    /// <summary>
    /// Defines an image on repo1 the way an operator does (so repo1 must have announced itself: see
    /// <see cref="AnnounceRepositoryAsync"/>) and links it to a file of repo1, as the repository's incorporation would.
    /// </summary>
    public static async Task DefineLinkedImageAsync(CoordinatorDomain d, string canonical, string fullSum = "full-1")
    {
        (await d.DefineImageAsync(new DefineImage(canonical, "Windows 11", "W11 + Office", 1, "NTFS", "repo1", "lab image", "bob")))
            .Should().BeOfType<Accepted>();
        (await d.AskAsync(new LinkImageFile(canonical, "repo1", "", Info, "sum", fullSum, "infohash", 1 << 20, DateTimeOffset.UtcNow)))
            .Should().BeOfType<Accepted>();
    }

    /// <summary>
    /// A running repository as the registry learns of it: its announcement, with a probe as its repository actor (alive, so
    /// the repository is online until the probe stops). Returns the probe.
    /// </summary>
    public static async Task<TestProbe> AnnounceRepositoryAsync(DomainHost host, string name = "repo1", bool computerCache = false)
    {
        var repository = host.Kit.CreateTestProbe();
        var registry = host.Registry.Get<RepositoryRegistryActor>();
        registry.Tell(new RepositoryAnnounced(name, $"http://127.0.0.1:9/{name}", 1L << 30, 2L << 30, computerCache, [], repository.Ref, DateTimeOffset.UtcNow));
        (await registry.Ask<RepositoryList>(new ListRepositories(), TimeSpan.FromSeconds(10))).Repositories
            .Should().Contain(r => r.Name == name && r.Online);
        return repository;
    }

    /// <summary>
    /// A computer whose agent is <paramref name="probe"/> on a remote node, as the coordinator comes to know it: registered
    /// with the registry (partition 1, NTFS), the registry's presence told to the dispatcher (what the AgentPresenceBridge
    /// does), and its runner's announcement of <paramref name="kinds"/>. Returns the agent as the coordinator addresses it.
    /// </summary>
    public static async Task<IActorRef> RegisterRemoteAgentAsync(DomainHost host, string name, TestProbe probe, IReadOnlyList<string> kinds)
    {
        var agent = await RemoteNodes.ResolveAsync(host.System, probe.Ref, probe.Sys);
        host.Registry.Get<ComputerRegistry>().Tell(new RegisterComputer(new ComputerInventory(name, "52:54:00:00:00:01", "10.1.2.11",
            [Partition(1, "NTFS")], new CacheInfo("", 0, 0)), agent));
        probe.ExpectMsg<ComputerRegistered>(TimeSpan.FromSeconds(10));
        host.System.EventStream.Publish(new OgActors.Messages.Sessions.AgentAvailable(name, agent, []));
        host.System.EventStream.Publish(new OgActors.Messages.Sessions.AgentAvailable(name, agent, kinds));
        return agent;
    }

    /// <summary>A computer registers with the registry and reports these partitions; returns its agent (a probe, registered).</summary>
    public static async Task<TestProbe> ReportInventoryAsync(DomainHost host, string computer, params PartitionInfo[] partitions)
    {
        var agent = host.Kit.CreateTestProbe();
        var registry = host.Registry.Get<ComputerRegistry>();
        registry.Tell(new RegisterComputer(new ComputerInventory(computer, "52:54:00:00:00:01", "10.0.0.1", partitions,
            new CacheInfo("/cache", 8L << 30, 8L << 30)), agent.Ref));
        agent.ExpectMsg<ComputerRegistered>(TimeSpan.FromSeconds(15));
        (await registry.Ask<ComputerList>(new ListComputers(), TimeSpan.FromSeconds(10))).Computers.Should().Contain(c => c.Name == computer);
        return agent;
    }

    /// <summary>A partition as a computer's inventory reports it.</summary>
    public static PartitionInfo Partition(int number, string filesystem, long sizeBytes = 20L << 30) =>
        new(number, $"/dev/sda{number}", sizeBytes, filesystem);

    public static ImageFileInfo Info { get; } = new("PARTCLONE", "LZOP", "NTFS", 72100000, 1_000_000, "PARTCLONE:LZOP:NTFS:72100000");
}
