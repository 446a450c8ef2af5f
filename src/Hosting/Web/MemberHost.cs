using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OgActors.Hosting.Cluster;
using OgActors.Hosting.Configuration;
using OgActors.Hosting.Logging;

namespace OgActors.Hosting.Web;

/// <summary>
/// What every cluster member's host has: an ASP.NET Core application (its HTTP side) whose container holds the node's
/// ActorSystem; they start and stop together. The coordinator and the repository node derive from it and add their
/// settings, their role's Akka setup and their endpoints.
/// </summary>
public abstract class MemberHost(WebApplication app, NodeSettings node) : IAsyncDisposable
{
    public WebApplication App { get; } = app;
    public NodeSettings Node { get; } = node;
    public ActorSystem System => App.Services.GetRequiredService<ActorSystem>();
    public Akka.Cluster.Cluster Cluster => Akka.Cluster.Cluster.Get(System);

    /// <summary>The HTTP side's real address once started (the configured one, with the port Kestrel picked for port 0).</summary>
    protected Uri BoundUrl => BoundAddress.Of(App);

    /// <summary>
    /// A web host for a member with role <paramref name="role"/> listening on <paramref name="url"/>: logging named after
    /// the role, <paramref name="config"/>, <paramref name="node"/> and <paramref name="settings"/> in the container, and an
    /// ActorSystem that is an OgActors cluster member, completed by <paramref name="akka"/>. <paramref name="services"/>
    /// (the modules' services) are registered before the ActorSystem, as the modules expect.
    /// </summary>
    protected static WebApplicationBuilder CreateBuilder(string role, Uri url, Config config, NodeSettings node,
        IEnumerable<object> settings, Action<IServiceCollection> services, Action<AkkaConfigurationBuilder, IServiceProvider> akka)
    {
        var builder = WebApplication.CreateSlimBuilder();
        OgLogging.Configure(builder.Logging, role);
        builder.WebHost.UseUrls(url.ToString());
        builder.Services.AddSingleton(config).AddSingleton(node);
        foreach (var setting in settings) builder.Services.AddSingleton(setting.GetType(), setting);
        services(builder.Services);
        builder.Services.AddAkka(node.SystemName, (akkaBuilder, provider) =>
        {
            akkaBuilder.WithOgNode(config, node).WithOgCluster(node, role, config);
            akka(akkaBuilder, provider);
        });
        return builder;
    }

    /// <summary>Completes when this node is an Up member of the cluster.</summary>
    public Task WaitUntilUpAsync(TimeSpan timeout) => ClusterReadiness.WaitUntilUpAsync(System, timeout);

    /// <summary>Leaves the cluster and stops the HTTP side and the ActorSystem.</summary>
    public async Task StopAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.StopAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
