using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OgActors.Coordinator.Api;
using OgActors.Coordinator.Persistence;
using OgActors.Hosting.Cluster;
using OgActors.Hosting.Configuration;
using OgActors.Hosting.Web;
using OgActors.Hosting.Logging;

namespace OgActors.Coordinator.Hosting;

/// <summary>
/// A running coordinator: an ASP.NET Core host (the operator API) with an Akka.Hosting ActorSystem that is a cluster
/// member with role <c>coordinator</c>, the event journal, the ClusterClient receptionist, and the given modules.
/// </summary>
public sealed class CoordinatorNode : IAsyncDisposable
{
    private CoordinatorNode(WebApplication app, NodeSettings node, CoordinatorSettings settings, JournalSettings journal)
    {
        App = app;
        Node = node;
        Settings = settings;
        Journal = journal;
    }

    public WebApplication App { get; }
    public NodeSettings Node { get; }
    public CoordinatorSettings Settings { get; }
    public JournalSettings Journal { get; }
    public ActorSystem System => App.Services.GetRequiredService<ActorSystem>();
    public Akka.Cluster.Cluster Cluster => Akka.Cluster.Cluster.Get(System);

    /// <summary>The API's real address once started (the configured one, with the port Kestrel picked for port 0).</summary>
    public Uri ApiUrl => BoundAddress.Of(App);

    /// <summary>Builds the host without starting it.</summary>
    public static CoordinatorNode Create(Config config, IEnumerable<ICoordinatorModule>? modules = null)
    {
        var node = NodeSettings.From(config);
        node.EnsureDataDir();
        var settings = CoordinatorSettings.From(config, node);
        var journal = JournalSettings.From(config, node);
        var all = (modules ?? CoordinatorModules.Default).ToList();

        var builder = WebApplication.CreateSlimBuilder();
        OgLogging.Configure(builder.Logging, "coordinator");
        builder.WebHost.UseUrls(settings.ApiUrl.ToString());
        builder.Services.AddSingleton(config).AddSingleton(node).AddSingleton(settings).AddSingleton(journal);
        foreach (var module in all) module.ConfigureServices(builder.Services);
        builder.Services.AddAkka(node.SystemName, (akka, services) =>
        {
            akka.WithOgNode(config, node)
                .WithOgCluster(node, NodeRoles.Coordinator)
                .WithOgPersistence(journal, j => { foreach (var module in all) module.ConfigureJournal(j); })
                .WithClusterClientReceptionist("receptionist", NodeRoles.Coordinator);
            foreach (var module in all) module.ConfigureAkka(akka, services);
        });

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

    /// <summary>Completes when this node is an Up member of the cluster.</summary>
    public Task WaitUntilUpAsync(TimeSpan timeout) => ClusterReadiness.WaitUntilUpAsync(System, timeout);

    /// <summary>Leaves the cluster and stops the API and the ActorSystem.</summary>
    public async Task StopAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.StopAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await App.DisposeAsync();
    }
}
