using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Akka.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OgActors.Coordinator.Repositories;
using OgActors.Coordinator.Sessions;
using OgActors.Hosting.Serialization;
using OgActors.Hosting.Uploads;
using OgActors.Messages.Repositories;
using OgActors.RepositoryNode;
using OgActors.RepositoryNode.Catalog;
using OgActors.RepositoryNode.Incorporation;
using OgActors.RepositoryNode.Unicast;

namespace OgActors.Repository.Tests.Support;

/// <summary>
/// A repository node for a test, all real: a one-member cluster (DistributedPubSub), the RepositoryActor over a
/// temporary images directory, and the unicast service on Kestrel at 127.0.0.1 on a free port. A probe listens to
/// the repository's file events as the coordinator would.
/// </summary>
public abstract class RepositoryTestBase : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    public static readonly Config ClusterConfig = ConfigurationFactory.ParseString("""
        akka.loglevel = INFO
        akka.actor.provider = cluster
        akka.actor.serialize-messages = on
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.cluster.min-nr-of-members = 1
        akka.cluster.roles = [coordinator, repository]
        akka.cluster.pub-sub.gossip-interval = 200ms
        """).WithFallback(ConfigurationFactory.ParseString(SerializationSetup.Hocon));

    protected RepositoryTestBase() : base(ClusterConfig)
    {
        ImagesDirectory = Directory.CreateTempSubdirectory("og-repo-images-").FullName;
        Scratch = Directory.CreateTempSubdirectory("og-repo-scratch-").FullName;
    }

    public string ImagesDirectory { get; }
    public string Scratch { get; }
    public CatalogView View { get; private set; } = null!;
    public IActorRef Repository { get; private set; } = null!;
    public TestProbe FileEvents { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public string BaseUrl { get; private set; } = null!;
    public IActorRef Mediator => DistributedPubSub.Get(Sys).Mediator;

    /// <summary>The coordinator's upload settings (its secret, lifetime, largest image) and the capabilities it signs.</summary>
    public UploadSettings Uploads { get; } = new(UploadCapability.NewSecret(), TimeSpan.FromHours(1), 1L << 30);
    public UploadCapabilityIssuer Issuer => new(Uploads);
    /// <summary>What the repository's unicast service verifies capabilities with, filled over the cluster.</summary>
    public UploadKeys Keys { get; } = new();

    /// <summary>A capability the coordinator issues for a create-image job uploading <paramref name="image"/> here.</summary>
    protected string CapabilityFor(string image, string computer = "pc01", string session = "S1") =>
        Issuer.Issue(session, computer, image, Settings.Name, DateTimeOffset.UtcNow);
    private WebApplication? _web;

    protected virtual RepositoryActorSettings Settings => new()
    {
        Name = "repo-test",
        ImagesDirectory = ImagesDirectory,
        HttpAddress = "http://127.0.0.1:0",
        AnnounceUrl = "http://127.0.0.1:6969/announce",
        SettleTime = TimeSpan.FromMilliseconds(300),
        RescanInterval = TimeSpan.FromSeconds(1),
        MaxConcurrentIncorporations = 2,
    };

    public virtual async Task InitializeAsync()
    {
        var cluster = Cluster.Get(Sys);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(20));

        FileEvents = CreateTestProbe();
        Mediator.Tell(new Subscribe(Topics.RepositoryFiles, FileEvents.Ref), FileEvents.Ref);
        FileEvents.ExpectMsg<SubscribeAck>();

        View = new CatalogView(ImagesDirectory);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0").ConfigureKestrel(k => k.ConfigureForUnicast());
        builder.Logging.ClearProviders();
        _web = builder.Build();
        _web.MapUnicastService(View, Keys, Settings.Name);
        await _web.StartAsync();
        BaseUrl = _web.Urls.First();
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };

        // The real distribution: the coordinator's /user/upload-secrets answers this repository member's request.
        Sys.ActorOf(UploadSecretActor.Props(Uploads.Secret), UploadSecretActor.Name);
        Sys.ActorOf(UploadKeysActor.Props(Settings.Name, Keys), "upload-keys");
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (Keys.Secrets.Count == 0 && DateTime.UtcNow < until) await Task.Delay(50);
        if (Keys.Secrets.Count == 0) throw new TimeoutException("The repository never received the coordinator's upload secret.");

        if (StartRepository) Repository = StartRepositoryActor();
    }

    protected virtual bool StartRepository => true;

    protected IActorRef StartRepositoryActor(string name = "repository") =>
        Sys.ActorOf(RepositoryActor.Props(Settings with { HttpAddress = BaseUrl }, Mediator, View), name);

    public virtual async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_web is not null) await _web.DisposeAsync();
        Shutdown();
        foreach (var dir in new[] { ImagesDirectory, Scratch })
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /// <summary>Copies a file into the images directory the safe way: a temporary name, then a rename to NAME.img.</summary>
    protected string ArriveByRename(string source, string name, string folder = "")
    {
        var directory = folder.Length == 0 ? ImagesDirectory : Directory.CreateDirectory(Path.Combine(ImagesDirectory, folder)).FullName;
        var temporary = Path.Combine(directory, $"{name}.img.copying");
        File.Copy(source, temporary);
        var final = Path.Combine(directory, $"{name}.img");
        File.Move(temporary, final);
        return final;
    }

    private readonly List<object> _unclaimedEvents = new();

    /// <summary>Waits for a file event; events that arrive first and do not match are kept for later waits.</summary>
    protected T ExpectFileEvent<T>(Func<T, bool>? where = null, TimeSpan? within = null) where T : IRepositoryFileEvent
    {
        bool Matches(object m) => m is T typed && (where is null || where(typed));
        var earlier = _unclaimedEvents.FirstOrDefault(Matches);
        if (earlier is not null)
        {
            _unclaimedEvents.Remove(earlier);
            return (T)earlier;
        }
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"No matching {typeof(T).Name} arrived; others: {string.Join("; ", _unclaimedEvents)}.");
            var message = FileEvents.ReceiveOne(left);
            if (message is null) continue;
            if (Matches(message)) return (T)message;
            _unclaimedEvents.Add(message);
        }
    }

    protected async Task<CatalogEntry> WaitForStateAsync(string name, ImageFileState state, TimeSpan? within = null, string folder = "")
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        var key = new ImageKey(folder, name);
        while (DateTime.UtcNow < deadline)
        {
            if (View.Entries.TryGetValue(key, out var entry) && entry.State == state) return entry;
            await Task.Delay(50);
        }
        throw new TimeoutException($"{key} never became {state}; it is {(View.Entries.TryGetValue(key, out var e) ? e.State : "absent")}.");
    }
}
