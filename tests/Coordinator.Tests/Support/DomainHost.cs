using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Hosting;
using Akka.Remote.Hosting;
using Akka.TestKit.Xunit2;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OgActors.Coordinator.Api;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OgActors.Coordinator.Computers;
using OgActors.Coordinator.Domain;
using OgActors.Coordinator.Persistence;
using OgActors.Coordinator.Repositories;
using OgActors.Coordinator.Sessions;
using OgActors.Hosting.Serialization;

namespace OgActors.Coordinator.Tests.Support;

/// <summary>
/// A real coordinator node for tests: a single-node cluster on 127.0.0.1:0 (role coordinator), the real
/// Akka.Persistence.Sql journal on the given store as the coordinator configures it (its tuning and tag-query rewrite
/// included), our serializer with serialize-messages = on, the domain, and the
/// computer and repository registries every coordinator runs (the planner checks commands against them: tests announce
/// the repositories and report the inventories they rely on, see <see cref="Scenario"/>).
/// Stop it and start another on the same store to test recovery.
/// </summary>
public sealed class DomainHost : IAsyncDisposable
{
    private readonly WebApplication _host;

    private DomainHost(WebApplication host)
    {
        _host = host;
        ApiUrl = host.Urls.First();
        System = host.Services.GetRequiredService<ActorSystem>();
        Registry = host.Services.GetRequiredService<ActorRegistry>();
        Domain = host.Services.GetRequiredService<CoordinatorDomain>();
        Kit = new TestKit(System);
    }

    public ActorSystem System { get; }
    public ActorRegistry Registry { get; }
    public CoordinatorDomain Domain { get; }
    public TestKit Kit { get; }

    /// <summary>The operator API (the domain palettes under /api) on 127.0.0.1; bearer token "NAME-token" acts as NAME.</summary>
    public string ApiUrl { get; }

    public HttpClient Api(string user)
    {
        var http = new HttpClient { BaseAddress = new Uri(ApiUrl) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", user + "-token");
        return http;
    }

    /// <param name="serializeMessages">Off only for hosts that read tags back: Akka.Persistence.Sql's JournalSequenceActor
    /// (behind EventsByTag) exchanges internal messages that do not survive serialize-messages, so tag queries hang.</param>
    public static async Task<DomainHost> StartAsync(JournalStore store, SessionSettings? sessions = null, bool serializeMessages = true)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var services = builder.Services;
        {
            services.AddCoordinatorDomainServices();
            services.AddAkka("og-test", (akka, _) =>
            {
                akka.AddHocon($"""
                    akka.actor.serialize-messages = {(serializeMessages ? "on" : "off")}
                    akka.loglevel = WARNING
                    akka.cluster.sharding.distributed-data.durable.keys = []
                    akka.cluster.min-nr-of-members = 1
                    """, HoconAddMode.Prepend);
                akka.WithOgSerialization()
                    .WithRemoting("127.0.0.1", 0)
                    .WithClustering(new ClusterOptions { Roles = [CoordinatorDomainSetup.Role] })
                    .WithOgPersistence(store.Settings, CoordinatorDomainSetup.AddAuditTagging)
                    .AddStartup((system, _) => Cluster.Get(system).Join(Cluster.Get(system).SelfAddress))
                    .WithSingleton<ComputerRegistry>(ComputerRegistryActor.Name, ComputerRegistryActor.Props(),
                        new ClusterSingletonOptions { Role = CoordinatorDomainSetup.Role }, createProxyToo: true)
                    .AddRepositoryRegistry()
                    .AddCoordinatorDomain(sessions ?? new SessionSettings());
            });
        }
        var host = builder.Build();
        host.Use(async (http, next) =>
        {
            // Stands in for the host's token authentication: the token names the operator.
            var token = http.Request.Headers.Authorization.ToString().Replace("Bearer ", "");
            if (token.EndsWith("-token"))
                http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, token[..^"-token".Length])], "test"));
            await next(http);
        });
        host.MapGroup("/api").MapCoordinatorDomainApi();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        var up = new TaskCompletionSource();
        Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(TimeSpan.FromSeconds(20));
        return new DomainHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _host.StopAsync(cts.Token);
        await _host.DisposeAsync();
    }
}
