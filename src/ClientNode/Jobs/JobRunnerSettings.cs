using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Hosting;
using OgActors.ClientNode.Transfers;

namespace OgActors.ClientNode.Jobs;

/// <summary>
/// What a computer's job runner works with: its name, its partitions (number → block device or file), its cache (null =
/// none), where each repository's unicast service is (name → base URL; null when unknown), the transfer paths it has, and
/// how often an unacknowledged JobFinished is sent again; and, when <see cref="ClusterClient"/> is set, the ClusterClient
/// through which the runner announces itself (<c>AgentAvailable</c> on <c>JobKinds.AgentsTopic</c>) every
/// <see cref="AnnounceInterval"/>, so the coordinators' job dispatchers send this computer's jobs straight to it.
/// </summary>
public sealed record JobRunnerSettings(
    string Computer,
    IReadOnlyDictionary<int, string> Partitions,
    ImageCache? Cache,
    Func<string, Uri?> RepositoryAddress,
    HttpClient Http,
    IReadOnlyList<ITransferPath> Transfers,
    TimeSpan ResendInterval)
{
    public Akka.Actor.IActorRef? ClusterClient { get; init; }

    /// <summary>
    /// The node's ClusterClient, to learn who the coordinators are (its contact points), also when the runner does not
    /// announce through it; null = <see cref="ClusterClient"/>. With neither, only senders of this ActorSystem may send jobs.
    /// </summary>
    public Akka.Actor.IActorRef? Coordinators { get; init; }

    /// <summary>The ClusterClient's initial contacts (the receptionists of og.cluster.seed-nodes): coordinators from the start.</summary>
    public IReadOnlyList<Akka.Actor.ActorPath> CoordinatorContacts { get; init; } = [];

    public TimeSpan AnnounceInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a unicast download may wait for its next byte before its repository counts as gone and the job falls over (a switched-off host answers nothing).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Checks the coordinators' signatures on job orders (og.tls on); null = orders are obeyed unsigned, from a coordinator's
    /// address alone — only with og.tls.enabled = off, which the runner logs as a warning when it starts.
    /// </summary>
    public OgActors.Hosting.Tls.JobOrderVerifier? Orders { get; init; }

    /// <summary>Where the runner records which image each partition holds after a successful restore (null: not recorded).</summary>
    public Computer.PartitionLedger? Ledger { get; init; }

    /// <summary>The compressor a master computer's live partition capture (clone-remote PART:N) streams through; lzop as in OpenGnsys.</summary>
    public Imaging.Formats.Compressor CloneCompressor { get; init; } = Imaging.Formats.Compressor.Lzop;

    /// <summary>The settings of the computer a client node is the agent of: unicast, and torrent when aria2c is installed.</summary>
    public static JobRunnerSettings For(ComputerSettings computer, Func<string, Uri?> repositoryAddress, HttpClient? http = null) =>
        new(computer.Name,
            computer.Partitions.ToDictionary(p => p.Number, p => p.Device),
            computer.CacheCapacity > 0 && computer.CacheDir.Length > 0 ? new ImageCache(computer.CacheDir, computer.CacheCapacity) : null,
            repositoryAddress,
            http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan },
            OgActors.ClientNode.Transfers.Torrent.TorrentClient.Available
                ? [new UnicastTransfer(), new OgActors.ClientNode.Transfers.Torrent.TorrentTransfer(new OgActors.ClientNode.Transfers.Torrent.TorrentClient())]
                : [new UnicastTransfer()],
            TimeSpan.FromSeconds(2));

    public ITransferPath? TransferFor(Messages.Sessions.TransferMethod method) => Transfers.FirstOrDefault(t => t.Method == method);
}
