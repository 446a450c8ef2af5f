using Akka.Cluster;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using OgActors.Messages.Common;
using OgActors.Messages.Repositories;

namespace OgActors.Coordinator.Repositories;

/// <summary>
/// The coordinator's view of the repositories: who they are, where their unicast service is, their space and
/// their catalogs, from the <see cref="RepositoryAnnounced"/> they publish (topic <see cref="Topics.Repositories"/>)
/// or send directly (a computer's cache registered as a repository, through ClusterClient).
///
/// State per repository: Online (its actor is alive, last announcement kept) → Offline (its actor terminated;
/// kept, with its last catalog, until it announces itself again). Cache repositories can serve images but are
/// never assignable to computers.
///
/// Routes delete and import commands, and tracker-view queries, to the repository that should run them.
/// </summary>
public sealed class RepositoryRegistryActor : ReceiveActor
{
    private sealed record Known(RepositoryAnnounced Last, bool Online, DateTimeOffset LastSeen);

    private readonly IActorRef _mediator;
    private readonly Dictionary<string, Known> _repositories = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TimeSpan _commandTimeout;

    public static Props Props(IActorRef mediator, TimeSpan? commandTimeout = null) =>
        Akka.Actor.Props.Create(() => new RepositoryRegistryActor(mediator, commandTimeout ?? TimeSpan.FromHours(2)));

    public RepositoryRegistryActor(IActorRef mediator, TimeSpan commandTimeout)
    {
        _mediator = mediator;
        _commandTimeout = commandTimeout;
        Receive<RepositoryAnnounced>(OnAnnounced);
        Receive<ClusterEvent.MemberUp>(m => AskToAnnounce(m.Member));
        Receive<Terminated>(OnTerminated);
        Receive<SubscribeAck>(_ => _mediator.Tell(new Publish(Topics.RepositoryDiscovery, new RequestRepositoryAnnouncements(DateTimeOffset.UtcNow))));
        Receive<ListRepositories>(m => Sender.Tell(new RepositoryList(_repositories.Values
            .Where(k => m.IncludeComputerCaches || !k.Last.IsComputerCache)
            .OrderBy(k => k.Last.IsComputerCache).ThenBy(k => k.Last.Name).Select(Status).ToList())));
        Receive<GetRepository>(m => Sender.Tell(_repositories.TryGetValue(m.Name, out var known)
            ? Status(known)
            : new Refused(UnknownRepository(m.Name))));
        Receive<DeleteImageIn>(OnDelete);
        Receive<ImportImageInto>(OnImport);
        Receive<GetTrackerViewIn>(OnTrackerView);
    }

    protected override void PreStart()
    {
        _mediator.Tell(new Subscribe(Topics.Repositories, Self));
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberUp));
    }

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    /// <summary>
    /// A repository member is up: ask its repository actor directly to announce itself to us. Its own first announcements
    /// went out over DistributedPubSub before its node knew where this registry subscribed, and would otherwise be
    /// repeated only by the periodic announcement (30 s).
    /// </summary>
    private void AskToAnnounce(Member member)
    {
        if (member.HasRole("repository"))
            Context.ActorSelection(new RootActorPath(member.Address) / "user" / "repository").Tell(new RequestRepositoryAnnouncements(DateTimeOffset.UtcNow));
    }

    private void OnAnnounced(RepositoryAnnounced announced)
    {
        var isNew = !_repositories.TryGetValue(announced.Name, out var before) || !before.Online;
        if (before is not null && !before.Last.Repository.Equals(announced.Repository)) Context.Unwatch(before.Last.Repository);
        Context.Watch(announced.Repository);
        _repositories[announced.Name] = new Known(announced, true, DateTimeOffset.UtcNow);
        if (isNew)
            _log.Info("Repository {0} online at {1}{2} with {3} images", announced.Name, announced.HttpAddress,
                announced.IsComputerCache ? " (a computer's cache)" : "", announced.Images.Count);
    }

    private void OnTerminated(Terminated terminated)
    {
        foreach (var (name, known) in _repositories.Where(r => r.Value.Last.Repository.Equals(terminated.ActorRef)).ToList())
        {
            _repositories[name] = known with { Online = false };
            _log.Info("Repository {0} offline", name);
        }
    }

    private void OnDelete(DeleteImageIn delete)
    {
        var key = delete.Command.Folder.Length == 0 ? delete.Command.CanonicalName : $"{delete.Command.Folder}/{delete.Command.CanonicalName}";
        Known? target;
        if (delete.Repository is { } name)
        {
            if (!_repositories.TryGetValue(name, out target)) { Sender.Tell(new Refused(UnknownRepository(name))); return; }
        }
        else
        {
            var holders = _repositories.Values.Where(r => r.Online && r.Last.Images.Any(i =>
                i.CanonicalName == delete.Command.CanonicalName && i.Folder == delete.Command.Folder)).ToList();
            if (holders.Count != 1)
            {
                Sender.Tell(new Refused(holders.Count == 0
                    ? $"No online repository holds image {key}."
                    : $"Image {key} is in repositories {string.Join(", ", holders.Select(h => h.Last.Name))}; say which with --repo."));
                return;
            }
            target = holders[0];
        }
        Forward(target, delete.Command);
    }

    private void OnImport(ImportImageInto import)
    {
        Known? target;
        if (import.Repository is { } name)
        {
            if (!_repositories.TryGetValue(name, out target)) { Sender.Tell(new Refused(UnknownRepository(name))); return; }
        }
        else
        {
            var candidates = _repositories.Values.Where(r => r.Online && !r.Last.IsComputerCache).ToList();
            if (candidates.Count != 1)
            {
                Sender.Tell(new Refused(candidates.Count == 0
                    ? "No repository is online."
                    : $"There are {candidates.Count} repositories ({string.Join(", ", candidates.Select(c => c.Last.Name))}); say which with --repo."));
                return;
            }
            target = candidates[0];
        }
        Forward(target, import.Command);
    }

    /// <summary>A query, not a command: the repository has <see cref="TrackerQueryTimeout"/> to answer.</summary>
    private void OnTrackerView(GetTrackerViewIn query)
    {
        if (!_repositories.TryGetValue(query.Repository, out var target)) { Sender.Tell(new Refused(UnknownRepository(query.Repository))); return; }
        Forward(target, query.Query, TrackerQueryTimeout);
    }

    /// <summary>How long a repository may take for its tracker view (it asks each peer of each swarm, a few seconds at most).</summary>
    public static readonly TimeSpan TrackerQueryTimeout = TimeSpan.FromSeconds(15);

    private void Forward(Known target, IRepositoryCommand command, TimeSpan? timeout = null)
    {
        if (!target.Online)
        {
            Sender.Tell(new Refused($"Repository {target.Last.Name} is offline."));
            return;
        }
        var name = target.Last.Name;
        target.Last.Repository.Ask<object>(command, timeout ?? _commandTimeout).PipeTo(Sender,
            failure: e => new Refused($"Repository {name} did not answer: {e.GetBaseException().Message}"));
    }

    private static RepositoryStatus Status(Known known) => new(
        known.Last.Name, known.Last.HttpAddress, known.Last.FreeBytes, known.Last.TotalBytes, known.Last.IsComputerCache,
        CanBeAssigned: !known.Last.IsComputerCache, known.Online, known.LastSeen, known.Last.Images);

    private string UnknownRepository(string name) =>
        $"There is no repository named {name}" + (_repositories.Count == 0 ? "." : $"; known: {string.Join(", ", _repositories.Keys.Order())}.");
}
