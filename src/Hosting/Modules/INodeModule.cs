using Akka.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OgActors.Hosting.Modules;

/// <summary>
/// One capability plugged into a node host: its services, its actors, its HTTP endpoints. Every member is optional.
/// Hosts compose a list of modules, so adding a capability is one line in that list.
/// </summary>
public interface INodeModule
{
    /// <summary>Registers services in the host's container (settings, clients, ...).</summary>
    void ConfigureServices(IServiceCollection services) { }

    /// <summary>Adds actors, shard regions, singletons, HOCON to the node's ActorSystem.</summary>
    void ConfigureAkka(AkkaConfigurationBuilder akka, IServiceProvider services) { }

    /// <summary>Maps HTTP endpoints. On the coordinator, <paramref name="endpoints"/> is the authenticated <c>/api</c> group.</summary>
    void MapEndpoints(IEndpointRouteBuilder endpoints) { }
}

/// <summary>A module from delegates, for tests and one-off wiring.</summary>
public sealed class DelegateModule(
    Action<IServiceCollection>? services = null,
    Action<AkkaConfigurationBuilder, IServiceProvider>? akka = null,
    Action<IEndpointRouteBuilder>? endpoints = null) : INodeModule
{
    public void ConfigureServices(IServiceCollection s) => services?.Invoke(s);
    public void ConfigureAkka(AkkaConfigurationBuilder b, IServiceProvider sp) => akka?.Invoke(b, sp);
    public void MapEndpoints(IEndpointRouteBuilder e) => endpoints?.Invoke(e);
}
