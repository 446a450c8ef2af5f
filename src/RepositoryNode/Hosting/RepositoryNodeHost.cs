using Akka.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OgActors.Hosting.Configuration;
using OgActors.Hosting.Modules;
using OgActors.Hosting.Web;

namespace OgActors.RepositoryNode.Hosting;

/// <summary>
/// A running repository node: a cluster member with role <c>repository</c> owning an images directory, with an
/// ASP.NET Core host for its HTTP service (endpoints come from the modules).
/// </summary>
public sealed class RepositoryNodeHost : MemberHost
{
    private RepositoryNodeHost(WebApplication app, NodeSettings node, RepositorySettings settings) : base(app, node) =>
        Settings = settings;

    public RepositorySettings Settings { get; }

    /// <summary>The HTTP service's real address once started.</summary>
    public Uri HttpUrl => BoundUrl;

    public static RepositoryNodeHost Create(Config config, IEnumerable<INodeModule>? modules = null)
    {
        var node = NodeSettings.From(config);
        if (node.SeedNodes.Count == 0)
            throw new SettingsException("A repository needs the coordinators' addresses: set og.cluster.seed-nodes (--seed akka.tcp://ogactors@HOST:4053).");
        node.EnsureDataDir();
        var settings = RepositorySettings.From(config, node);
        settings.EnsureImagesDir();
        var all = (modules ?? RepositoryModules.Default).ToList();

        var builder = CreateBuilder(NodeRoles.Repository, settings.HttpUrl, config, node, [settings],
            services => { foreach (var module in all) module.ConfigureServices(services); },
            (akka, services) => { foreach (var module in all) module.ConfigureAkka(akka, services); });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureForUnicast());
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
}
