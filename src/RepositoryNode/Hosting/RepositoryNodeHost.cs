using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OgActors.Hosting.Cluster;
using OgActors.Hosting.Configuration;
using OgActors.Hosting.Web;
using OgActors.Hosting.Logging;
using OgActors.Hosting.Modules;

namespace OgActors.RepositoryNode.Hosting;

/// <summary>
/// A running repository node: a cluster member with role <c>repository</c> owning an images directory, with an
/// ASP.NET Core host for its HTTP service (endpoints come from the modules).
/// </summary>
public sealed class RepositoryNodeHost : IAsyncDisposable
{
    private RepositoryNodeHost(WebApplication app, NodeSettings node, RepositorySettings settings)
    {
        App = app;
        Node = node;
        Settings = settings;
    }

    public WebApplication App { get; }
    public NodeSettings Node { get; }
    public RepositorySettings Settings { get; }
    public ActorSystem System => App.Services.GetRequiredService<ActorSystem>();
    public Akka.Cluster.Cluster Cluster => Akka.Cluster.Cluster.Get(System);

    /// <summary>The HTTP service's real address once started.</summary>
    public Uri HttpUrl => BoundAddress.Of(App);

    public static RepositoryNodeHost Create(Config config, IEnumerable<INodeModule>? modules = null)
    {
        var node = NodeSettings.From(config);
        if (node.SeedNodes.Count == 0)
            throw new SettingsException("A repository needs the coordinators' addresses: set og.cluster.seed-nodes (--seed akka.tcp://ogactors@HOST:4053).");
        node.EnsureDataDir();
        var settings = RepositorySettings.From(config, node);
        settings.EnsureImagesDir();
        var all = (modules ?? RepositoryModules.Default).ToList();

        var builder = WebApplication.CreateSlimBuilder();
        OgLogging.Configure(builder.Logging, "repository");
        builder.WebHost.UseUrls(settings.HttpUrl.ToString());
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureForUnicast());
        builder.Services.AddSingleton(config).AddSingleton(node).AddSingleton(settings);
        foreach (var module in all) module.ConfigureServices(builder.Services);
        builder.Services.AddAkka(node.SystemName, (akka, services) =>
        {
            akka.WithOgNode(config, node).WithOgCluster(node, NodeRoles.Repository);
            foreach (var module in all) module.ConfigureAkka(akka, services);
        });
        var app = builder.Build();
        foreach (var module in all) module.MapEndpoints(app);
        return new RepositoryNodeHost(app, node, settings);
    }

    public static async Task<RepositoryNodeHost> StartAsync(Config config, IEnumerable<INodeModule>? modules = null,
        CancellationToken cancellationToken = default)
    {
        var repository = Create(config, modules);
        await repository.App.StartAsync(cancellationToken);
        repository.App.Logger.LogInformation("Repository {Name} at {Address}; images {Images}; HTTP {Url}",
            repository.Settings.Name, repository.Cluster.SelfAddress, repository.Settings.ImagesDir, repository.HttpUrl);
        return repository;
    }

    public Task WaitUntilUpAsync(TimeSpan timeout) => ClusterReadiness.WaitUntilUpAsync(System, timeout);

    /// <summary>Leaves the cluster and stops.</summary>
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
