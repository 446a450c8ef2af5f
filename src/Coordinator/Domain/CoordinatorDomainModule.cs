using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OgActors.Coordinator.Api;
using OgActors.Coordinator.Computers;
using OgActors.Coordinator.Hosting;
using OgActors.Coordinator.Sessions;

namespace OgActors.Coordinator.Domain;

/// <summary>ActorRegistry key of the agent presence bridge (a cluster singleton).</summary>
public sealed class AgentPresenceBridgeKey;

/// <summary>
/// The coordinator's domain as a module of the coordinator host: classroom, image and session entities, the job dispatcher
/// and its bridge to the computer registry, the repository file linker, the audit tagging of the journal, and the
/// classroom / image / session / audit API palettes. Add it after <see cref="ComputerRegistryModule"/>. The bridge tells the
/// dispatcher where each online computer's agent is and no job kinds: what a computer runs is what its own runner announces.
/// </summary>
public sealed class CoordinatorDomainModule(SessionSettings? sessions = null) : ICoordinatorModule
{
    private readonly SessionSettings _sessions = sessions ?? new SessionSettings();

    public void ConfigureServices(IServiceCollection services) => services.AddCoordinatorDomainServices();

    public void ConfigureAkka(AkkaConfigurationBuilder akka, IServiceProvider services)
    {
        var config = services.GetService<Akka.Configuration.Config>();
        var sessions = WithConfiguration(_sessions, config);
        // og.tls on: job orders are signed with this coordinator's certificate, and the dispatcher takes only signed ones.
        var tls = config is null ? null : OgActors.Hosting.Tls.TlsSettings.From(config);
        // The bridge is a cluster singleton too (next to nothing it needs: it talks to the registry's and the dispatcher's proxies),
        // so each presence change reaches the one dispatcher once, not once per coordinator.
        akka.AddCoordinatorDomain(sessions with
            {
                Uploads = sessions.Uploads ?? services.GetService<UploadCapabilityIssuer>(),
                RegisteredAgent = sessions.RegisteredAgent ?? RegisteredAgentFrom(services),
                Orders = sessions.Orders ?? (tls is null ? null : OgActors.Hosting.Tls.JobOrderSigner.From(tls)),
                OrderCheck = sessions.OrderCheck ?? (tls is null ? null : OgActors.Hosting.Tls.JobOrderVerifier.From(tls, OgActors.Messages.Sessions.JobOrderAudience.Dispatcher)),
            })
            .WithSingleton<AgentPresenceBridgeKey>("agent-presence-bridge", (system, registry, _) => AgentPresenceBridge.Props(
                registry.Get<ComputerRegistry>(), registry.Get<JobDispatcherKey>(), DistributedPubSub.Get(system).Mediator, []),
                new ClusterSingletonOptions { Role = CoordinatorDomainSetup.Role }, createProxyToo: false);
    }

    /// <summary>A computer's registered agent, asked of the computer registry (null: offline or unknown).</summary>
    private static Func<string, Task<Akka.Actor.IActorRef?>> RegisteredAgentFrom(IServiceProvider services) => async computer =>
        await services.GetRequiredService<ActorRegistry>().Get<ComputerRegistry>()
            .Ask<object>(new OgActors.Messages.Computers.GetComputer(computer), TimeSpan.FromSeconds(10)) is OgActors.Messages.Computers.ComputerStatus { Online: true } s
            ? s.Agent
            : null;

    /// <summary>The session settings with <c>og.coordinator.sessions.offline-timeout</c> from the node's configuration, when set.</summary>
    public static SessionSettings WithConfiguration(SessionSettings settings, Akka.Configuration.Config? config) =>
        config is not null && config.HasPath("og.coordinator.sessions.offline-timeout")
            && config.GetTimeSpan("og.coordinator.sessions.offline-timeout", null, allowInfinite: false) is { } limit && limit > TimeSpan.Zero
            ? settings with { OfflineTimeout = limit }
            : settings;

    public void ConfigureJournal(AkkaPersistenceJournalBuilder journal) => CoordinatorDomainSetup.AddAuditTagging(journal);

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapCoordinatorDomainApi();
}
