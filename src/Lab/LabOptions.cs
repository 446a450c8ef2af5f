using OgActors.ClientNode.Jobs;
using Akka.Hosting;
using OgActors.Coordinator.Hosting;
using OgActors.Hosting.Modules;

namespace OgActors.Lab;

/// <summary>One lab computer: its name and partition sizes (files, numbered from 1) and its cache capacity.</summary>
public sealed record LabComputer(string Name, IReadOnlyList<long> PartitionSizes, long CacheCapacity);

/// <summary>What the all-in-one lab runs. Defaults: 3 computers, two 256 MiB partitions each, a 1 GiB cache.</summary>
public sealed record LabOptions
{
    public const long MiB = 1024 * 1024;

    public required string DataDir { get; init; }
    public int Computers { get; init; } = 3;
    public long PartitionSize { get; init; } = 256 * MiB;
    public int PartitionsPerComputer { get; init; } = 2;
    public long CacheCapacity { get; init; } = 1024 * MiB;

    /// <summary>Overrides the computer made for index i (1-based); defaults from the properties above.</summary>
    public Func<int, LabComputer>? Computer { get; init; }

    /// <summary>Bearer token of the API; null = a random one per start.</summary>
    public string? Token { get; init; }

    /// <summary>Extra HOCON for the coordinator (e.g. a PostgreSQL journal), over the lab's settings.</summary>
    public string CoordinatorHocon { get; init; } = "";

    /// <summary>Extra HOCON every node gets (e.g. <c>akka.actor.serialize-messages = on</c> in tests).</summary>
    public string CommonHocon { get; init; } = "";

    /// <summary>The coordinator's modules; null = <see cref="CoordinatorModules.Default"/>.</summary>
    public IReadOnlyList<ICoordinatorModule>? CoordinatorModules { get; init; }

    /// <summary>The repository's modules; null = the repository's default list.</summary>
    public IReadOnlyList<INodeModule>? RepositoryModules { get; init; }

    /// <summary>Extra actors for every client node.</summary>
    public IReadOnlyList<Action<AkkaConfigurationBuilder, IServiceProvider>> ClientConfigurators { get; init; } = [JobRunnerSetup.Configurator(announce: true)];

    /// <summary>
    /// How many coordinators (issue 16): the first founds the cluster, the others join it; the repository and every computer
    /// list all of them (seed nodes, ClusterClient contact points). More than one needs a shared journal (PostgreSQL,
    /// <see cref="CoordinatorHocon"/>); they share the API token and the upload secret.
    /// </summary>
    public int Coordinators { get; init; } = 1;

    /// <summary>
    /// How many repositories (issue 16, fail-over): repo1 (data dir "repository"), repo2 ("repository2"), …, each a cluster
    /// member with its own images directory and unicast service; every computer knows each one's address
    /// (<c>og.computer.repositories</c>). With more than one, <see cref="AllInOneLab.CrashRepositoryAsync"/> can crash one.
    /// </summary>
    public int Repositories { get; init; } = 1;

    /// <summary>How long the lab may take to be ready (cluster up, every computer registered).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Mutual TLS between the lab's nodes with a throwaway CA in DIR/pki (on, like a real installation); off for
    /// in-process tests that do not test the transport.</summary>
    public bool Tls { get; init; } = true;

    public LabComputer ComputerAt(int index) =>
        Computer?.Invoke(index) ?? new LabComputer($"pc{index:00}", [.. Enumerable.Repeat(PartitionSize, PartitionsPerComputer)], CacheCapacity);
}
