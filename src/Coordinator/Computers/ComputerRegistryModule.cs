using Akka.Cluster.Hosting;
using Akka.Cluster.Tools.Client;
using Akka.Hosting;
using Microsoft.AspNetCore.Routing;
using OgActors.Coordinator.Api;
using OgActors.Coordinator.Hosting;
using OgActors.Hosting.Configuration;
using OgActors.Coordinator.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace OgActors.Coordinator.Computers;

/// <summary>ActorRegistry key of the computer registry (its singleton proxy on this node).</summary>
public sealed class ComputerRegistry;

/// <summary>
/// The computer registry as a cluster singleton on the coordinators (its proxy at /user/computer-registry-proxy is the
/// ClusterClient service computers talk to), and the computer palette of the API.
/// </summary>
public sealed class ComputerRegistryModule : ICoordinatorModule
{
    public void ConfigureAkka(AkkaConfigurationBuilder akka, IServiceProvider services)
    {
        akka.WithSingleton<ComputerRegistry>(ComputerRegistryActor.Name, ComputerRegistryActor.Props(RecordedIp(services)),
            new ClusterSingletonOptions { Role = NodeRoles.Coordinator }, createProxyToo: true);
        akka.AddStartup((system, registry) =>
            ClusterClientReceptionist.Get(system).RegisterService(registry.Get<ComputerRegistry>()));
    }

    /// <summary>The IP the classrooms record for a computer, when the coordinator has its domain (classrooms) composed.</summary>
    private static Func<string, Task<string?>> RecordedIp(IServiceProvider services) => async name =>
        services.GetService<CoordinatorDomain>() is { } domain && await domain.FindComputerAsync(name) is { } found ? found.Computer.Ip : null;

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => ComputerApi.Map(endpoints);
}
