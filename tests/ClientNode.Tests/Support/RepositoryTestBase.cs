using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OgActors.ClientNode.Transfers;
using OgActors.Messages.Sessions;
using OgActors.Messages.Classrooms;
using OgActors.ClientNode.Jobs;
using OgActors.ClientNode.Computer;
using OgActors.ClientNode.Cache;
using OgActors.Coordinator.Repositories;
using OgActors.Coordinator.Sessions;
using OgActors.Hosting.Serialization;
using OgActors.Hosting.Uploads;
using OgActors.Messages.Repositories;
using OgActors.RepositoryNode;
using OgActors.RepositoryNode.Catalog;
using OgActors.RepositoryNode.Incorporation;
using OgActors.RepositoryNode.Unicast;

namespace OgActors.ClientNode.Tests.Support;

/// <summary>
/// A real repository for a client test: a one-member cluster ActorSystem (for the repository's DistributedPubSub),
/// the RepositoryActor incorporating a temporary images directory, and its unicast HTTP service on Kestrel at
/// 127.0.0.1 on a free port. The client actors under test run in the same ActorSystem, with serialize-messages on.
/// </summary>
public abstract class RepositoryTestBase : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    public const string RepositoryName = "repo1";

    public static readonly Config SystemConfig = ConfigurationFactory.ParseString("""
        akka.loglevel = INFO
        akka.actor.provider = cluster
        akka.actor.serialize-messages = on
        akka.cluster.roles = [coordinator, repository]
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.cluster.min-nr-of-members = 1
        """).WithFallback(ConfigurationFactory.ParseString(SerializationSetup.Hocon));

    private WebApplication? _web;

    protected RepositoryTestBase() : base(SystemConfig)
    {
        ImagesDirectory = Directory.CreateTempSubdirectory("og-client-repo-").FullName;
        Scratch = Directory.CreateTempSubdirectory("og-client-scratch-").FullName;
    }

    public string ImagesDirectory { get; }
    public string Scratch { get; }
    public CatalogView View { get; private set; } = null!;
    public Uri BaseUrl { get; private set; } = null!;
    public HttpClient Http { get; } = new() { Timeout = Timeout.InfiniteTimeSpan };
    public RepositoryClient Repository => new(Http, RepositoryName, BaseUrl);

    /// <summary>The coordinator's upload settings and the capabilities it signs for create-image jobs.</summary>
    public UploadSettings Uploads { get; } = new(UploadCapability.NewSecret(), TimeSpan.FromHours(1), 1L << 30);
    public UploadCapabilityIssuer Issuer => new(Uploads);
    /// <summary>The repository's copy of the coordinators' secrets, received over the cluster.</summary>
    public UploadKeys Keys { get; } = new();

    /// <summary>
    /// A computer's job runner against this repository: partition 1 a fresh target file of <paramref name="partitionMiB"/>,
    /// a cache of <paramref name="cacheMiB"/> (0 = none) in <paramref name="cacheDir"/>, its partition ledger in the scratch folder.
    /// </summary>
    protected JobRunnerSettings ComputerSettings(string name, int cacheMiB, HttpClient? http = null, string? cacheDir = null,
        int partitionMiB = TestImages.SizeMiB)
    {
        var partition = TestImages.TargetPartition(Scratch, $"{name}-p1", partitionMiB);
        var cache = cacheMiB > 0 ? new ImageCache(cacheDir ?? Path.Combine(Scratch, $"{name}-cache"), (long)cacheMiB << 20) : null;
        return new JobRunnerSettings(name, new Dictionary<int, string> { [1] = partition }, cache,
            repository => repository == RepositoryName ? BaseUrl : null, http ?? Http, [new UnicastTransfer()], TimeSpan.FromMilliseconds(300))
        {
            Ledger = new PartitionLedger(Path.Combine(Scratch, $"{name}-{PartitionLedger.FileName}")),
        };
    }

    /// <summary>A unicast job as the coordinator's session sends it: a create-image job carries the capability it signs (UploadCapabilityIssuer).</summary>
    protected RunJob UnicastJob(string session, string computer, SessionKind kind, string image, IActorRef replyTo, int partition = 1) =>
        new(session, computer, Issuer.Attach(session, computer, new JobSpec(kind, JobRole.Single, image, 1, partition, RepositoryName, TransferMethod.Unicast,
            new MulticastSettings(9000, "239.194.0.1", DuplexMode.Full, 100, 0, 60), new P2PSettings(P2PMode.Peer, 60), "", null), DateTimeOffset.UtcNow), replyTo);

    /// <summary>The capability the coordinator issues for a create-image job uploading <paramref name="image"/> here.</summary>
    protected string CapabilityFor(string image, string computer = "pc01", string session = "S1") =>
        Issuer.Issue(session, computer, image, RepositoryName, DateTimeOffset.UtcNow);

    /// <summary>The tracker URL the repository writes into its torrents.</summary>
    protected virtual string AnnounceUrl => "http://127.0.0.1:6969/announce";

    public virtual async Task InitializeAsync()
    {
        var cluster = Cluster.Get(Sys);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(20));

        View = new CatalogView(ImagesDirectory);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _web = builder.Build();
        _web.MapUnicastService(View, Keys, RepositoryName);
        await _web.StartAsync();
        BaseUrl = new Uri(_web.Urls.First().TrimEnd('/') + "/");
        Sys.ActorOf(UploadSecretActor.Props(Uploads.Secret), UploadSecretActor.Name);
        Sys.ActorOf(UploadKeysActor.Props(RepositoryName, Keys), "upload-keys");
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (Keys.Secrets.Count == 0 && DateTime.UtcNow < until) await Task.Delay(50);
        if (Keys.Secrets.Count == 0) throw new TimeoutException("The repository never received the coordinator's upload secret.");
        Sys.ActorOf(RepositoryActor.Props(new RepositoryActorSettings
        {
            Name = RepositoryName,
            ImagesDirectory = ImagesDirectory,
            HttpAddress = BaseUrl.ToString(),
            AnnounceUrl = AnnounceUrl,
            SettleTime = TimeSpan.FromMilliseconds(200),
            RescanInterval = TimeSpan.FromSeconds(1),
        }, DistributedPubSub.Get(Sys).Mediator, View), "repository");
    }

    public virtual async Task DisposeAsync()
    {
        Http.Dispose();
        if (_web is not null) await _web.DisposeAsync();
        Shutdown();
        foreach (var dir in new[] { ImagesDirectory, Scratch })
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>Puts <paramref name="source"/> into the repository as NAME.img the safe way (temporary name, rename) and waits until it is served.</summary>
    protected async Task<CatalogEntry> PublishAsync(string source, string name, string folder = "")
    {
        var directory = Path.Combine(ImagesDirectory, folder);
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $"{name}.img.copying");
        File.Copy(source, temporary, overwrite: true);
        File.Move(temporary, Path.Combine(directory, $"{name}.img"), overwrite: true);
        return await WaitServedAsync(name, Tools.Md5(source), folder: folder);
    }

    /// <summary>Waits until the repository serves <paramref name="name"/> (with full sum <paramref name="fullSum"/> when given).</summary>
    protected async Task<CatalogEntry> WaitServedAsync(string name, string? fullSum = null, TimeSpan? within = null, string folder = "")
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        var key = new ImageKey(folder, name);
        while (DateTime.UtcNow < deadline)
        {
            if (View.Servable(key) is { Sums: { } sums } entry && (fullSum is null || sums.FullSum == fullSum)) return entry;
            await Task.Delay(50);
        }
        throw new TimeoutException($"The repository never served {name}.");
    }
}
