using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using OgActors.Coordinator.Audit;
using OgActors.Coordinator.Computers;
using OgActors.Coordinator.Images;
using OgActors.Coordinator.ReadSide;
using OgActors.Coordinator.Repositories;
using OgActors.Coordinator.Sessions;
using OgActors.Messages;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;
using OgActors.Messages.Computers;
using OgActors.Messages.Images;
using OgActors.Messages.ReadSide;
using OgActors.Messages.Repositories;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Domain;

/// <summary>
/// The coordinator domain as the API sees it: ask an entity, list entities (from the node's read side, projected from the
/// tagged journal: <see cref="ReadSideActor"/>), plan and start sessions, read the audit timeline; and what the computer registry (the
/// computers' reported inventories) and the repository registry (the repositories' announcements) know, which the
/// session planner and image definitions check commands against. Every coordinator runs both registries
/// (<see cref="Hosting.CoordinatorModules.Default"/>); a host composed without one (the session benchmark) gets null from
/// <see cref="ComputersAsync"/> / <see cref="RepositoriesAsync"/> and plans without those checks.
/// </summary>
public sealed class CoordinatorDomain(ActorSystem system, ActorRegistry registry, string readJournalPluginId)
{
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    /// <summary>A read-side answer may first read what was written since its last one (the whole journal once, at start).</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(60);

    public ActorSystem System => system;
    public IActorRef Classrooms => registry.Get<ClassroomRegion>();
    public IActorRef Images => registry.Get<ImageRegion>();
    public IActorRef Sessions => registry.Get<SessionRegion>();
    public AuditLog Audit { get; } = new(system, readJournalPluginId);
    public SessionPlanner Planner => new(this);

    /// <summary>Sends a command or query to its entity; the reply is Accepted, Refused or a view.</summary>
    public Task<object> AskAsync(IOgMessage message, CancellationToken cancel = default) => message switch
    {
        // an empty entity id is dropped by sharding (the ask would time out): refuse it at once
        IClassroomMessage { Classroom: var c } when string.IsNullOrWhiteSpace(c) => Task.FromResult<object>(new Refused("The classroom name is required.")),
        IImageMessage { Canonical: var i } when string.IsNullOrWhiteSpace(i) => Task.FromResult<object>(new Refused("The canonical name is required.")),
        ISessionMessage { SessionId: var s } when string.IsNullOrWhiteSpace(s) => Task.FromResult<object>(new Refused("The session id is required.")),
        IClassroomMessage => Classrooms.Ask<object>(message, AskTimeout, cancel),
        IImageMessage => Images.Ask<object>(message, AskTimeout, cancel),
        ISessionMessage => Sessions.Ask<object>(message, AskTimeout, cancel),
        _ => throw new ArgumentException($"{message.GetType().Name} is not addressed to a domain entity."),
    };

    public async Task<ClassroomView?> ClassroomAsync(string name, CancellationToken cancel = default) =>
        await AskAsync(new GetClassroom(name), cancel) as ClassroomView;

    public async Task<ImageView?> ImageAsync(string canonical, CancellationToken cancel = default) =>
        await AskAsync(new GetImage(canonical), cancel) as ImageView;

    public async Task<SessionView?> SessionAsync(string id, CancellationToken cancel = default) =>
        await AskAsync(new GetSession(id), cancel) as SessionView;

    /// <summary>The node's read side (listings projected from the journal); answers include every acknowledged change.</summary>
    public IActorRef ReadSide => registry.Get<ReadSideKey>();

    public async Task<IReadOnlyList<ClassroomView>> ListClassroomsAsync(CancellationToken cancel = default) =>
        (await ReadSide.Ask<ClassroomViews>(new ListClassroomViews(), ReadTimeout, cancel)).Classrooms;

    /// <summary>The classrooms named that exist and those holding the computers named (the planner's scope), from the read side.</summary>
    public async Task<IReadOnlyList<ClassroomView>> ClassroomsAsync(IEnumerable<string> names, IEnumerable<string> computers,
        CancellationToken cancel = default) =>
        (await ReadSide.Ask<ClassroomViews>(new GetClassroomViews([.. names], [.. computers]), ReadTimeout, cancel)).Classrooms;

    /// <summary>
    /// Every image from the read side; an image whose current revision's profile is not read yet is asked of its entity,
    /// which alone knows how far a reading is (live, not journaled).
    /// </summary>
    public async Task<IReadOnlyList<ImageView>> ListImagesAsync(CancellationToken cancel = default)
    {
        var images = (await ReadSide.Ask<ImageViews>(new ListImageViews(), ReadTimeout, cancel)).Images;
        var live = await Task.WhenAll(images.Select(async i => i.Profile is { Status: not "read" } ? await ImageAsync(i.Canonical, cancel) ?? i : i));
        return live;
    }

    public async Task<IReadOnlyList<SessionSummary>> ListSessionsAsync(CancellationToken cancel = default) =>
        (await ReadSide.Ask<SessionSummaries>(new ListSessionSummaries(), ReadTimeout, cancel)).Sessions;

    /// <summary>Every computer the registry knows (its last reported inventory, online or not); null when this host runs no computer registry.</summary>
    public async Task<IReadOnlyList<ComputerStatus>?> ComputersAsync(CancellationToken cancel = default) =>
        registry.TryGet<ComputerRegistry>(out var computers)
            ? (await computers.Ask<ComputerList>(new ListComputers(), AskTimeout, cancel)).Computers
            : null;

    /// <summary>Every repository that has announced itself (computers' caches included); null when this host runs no repository registry.</summary>
    public async Task<IReadOnlyList<RepositoryStatus>?> RepositoriesAsync(CancellationToken cancel = default) =>
        registry.TryGet<RepositoryRegistryActor>(out var repositories)
            ? (await repositories.Ask<RepositoryList>(new ListRepositories(), AskTimeout, cancel)).Repositories
            : null;

    /// <summary>
    /// Defines an image object after checking its fields and that its repository exists (has announced itself to the
    /// coordinator) and is not a computer's cache; nothing is persisted when it is refused.
    /// </summary>
    public async Task<object> DefineImageAsync(DefineImage cmd, CancellationToken cancel = default)
    {
        if (ImageRules.Check(cmd) is { } bad) return new Refused(bad);
        IReadOnlyList<RepositoryStatus>? repositories;
        try { repositories = await RepositoriesAsync(cancel); }
        catch (AskTimeoutException) { return new Refused("The repository registry did not answer in time; try again."); }
        if (repositories is not null && RepositoryCheck.CheckDefinable(repositories, cmd.Repository) is { } unknown) return new Refused(unknown);
        return await AskAsync(cmd, cancel);
    }

    /// <summary>The classroom and record of a computer, searched in every classroom (names are unique across classrooms).</summary>
    public async Task<(ClassroomView Room, ComputerRecord Computer)?> FindComputerAsync(string name, CancellationToken cancel = default)
    {
        var room = (await ReadSide.Ask<ComputerClassroom>(new FindComputerClassroom(name), ReadTimeout, cancel)).Classroom;
        return room?.Computers.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } pc ? (room, pc) : null;
    }

    /// <summary>Adds a computer after checking no other classroom has one of that name.</summary>
    public async Task<object> AddComputerAsync(AddComputer cmd, CancellationToken cancel = default)
    {
        if (await FindComputerAsync(cmd.Name, cancel) is { } found && !found.Room.Name.Equals(cmd.Classroom, StringComparison.OrdinalIgnoreCase))
            return new Refused($"Computer {found.Computer.Name} already belongs to classroom {found.Room.Name}.");
        return await AskAsync(cmd, cancel);
    }

    /// <summary>
    /// Removes a computer from its classroom; its jobs that have not started yet (queued behind another session, or
    /// waiting for it to come online) then end with that reason instead of waiting for a computer no longer in the room.
    /// </summary>
    public async Task<object> RemoveComputerAsync(RemoveComputer cmd, CancellationToken cancel = default)
    {
        var reply = await AskAsync(cmd, cancel);
        if (reply is Accepted) registry.Get<JobDispatcherKey>().Tell(new ComputerRemovedFromClassroom(cmd.Name, cmd.Classroom, cmd.By));
        return reply;
    }
}
