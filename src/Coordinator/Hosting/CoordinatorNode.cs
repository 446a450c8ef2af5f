using Akka.Cluster.Hosting;
using Akka.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using OgActors.Coordinator.Api;
using OgActors.Coordinator.Persistence;
using OgActors.Hosting.Configuration;
using OgActors.Hosting.Web;

namespace OgActors.Coordinator.Hosting;

/// <summary>
/// A running coordinator: an ASP.NET Core host (the operator API) with an Akka.Hosting ActorSystem that is a cluster
/// member with role <c>coordinator</c>, the event journal, the ClusterClient receptionist, and the given modules.
/// </summary>
public sealed class CoordinatorNode : MemberHost
{
    private CoordinatorNode(WebApplication app, NodeSettings node, CoordinatorSettings settings, JournalSettings journal)
        : base(app, node)
    {
        Settings = settings;
        Journal = journal;
    }

    public CoordinatorSettings Settings { get; }
    public JournalSettings Journal { get; }

    /// <summary>The API's real address once started (the configured one, with the port Kestrel picked for port 0).</summary>
    public Uri ApiUrl => BoundUrl;

    /// <summary>Builds the host without starting it.</summary>
    public static CoordinatorNode Create(Config config, IEnumerable<ICoordinatorModule>? modules = null)
    {
        var node = NodeSettings.From(config);
        node.EnsureDataDir();
        var settings = CoordinatorSettings.From(config, node);
        var journal = JournalSettings.From(config, node);
        var all = (modules ?? CoordinatorModules.Default).ToList();

        var builder = CreateBuilder(NodeRoles.Coordinator, settings.ApiUrl, config, node, [settings, journal],
            services => { foreach (var module in all) module.ConfigureServices(services); },
            (akka, services) =>
            {
                akka.WithOgPersistence(journal, j => { foreach (var module in all) module.ConfigureJournal(j); })
                    .WithClusterClientReceptionist("receptionist", NodeRoles.Coordinator);
                foreach (var module in all) module.ConfigureAkka(akka, services);
            });
        if (settings.ApiUrl.Scheme == "https") ApiHttps.Use(builder, settings);
        var app = builder.Build();
        OperatorApi.Map(app, settings, all);
        return new CoordinatorNode(app, node, settings, journal);
    }

    /// <summary>Builds and starts a coordinator; returns when the ActorSystem runs and the API listens.</summary>
    public static async Task<CoordinatorNode> StartAsync(Config config, IEnumerable<ICoordinatorModule>? modules = null,
        CancellationToken cancellationToken = default)
    {
        var coordinator = Create(config, modules);
        await coordinator.App.StartAsync(cancellationToken);
        coordinator.App.Logger.LogInformation("Coordinator {Address} up; journal {Journal}; operator API {Api}",
            coordinator.Cluster.SelfAddress, coordinator.Journal.Describe(), coordinator.ApiUrl);
        return coordinator;
    }
}
