using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace OgActors.Hosting;

/// <summary>
/// Ties a node process to its ActorSystem: the host stops when the ActorSystem terminates, and a node that was removed
/// from the cluster (downed, left, or could not join) ends with a non-zero exit so its service manager restarts it,
/// instead of staying up with a dead ActorSystem answering 500s (and a repository keeps no HTTP service running).
/// </summary>
public static class NodeLifetime
{
    public static async Task RunUntilStoppedAsync(IHost host, ActorSystem system)
    {
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        _ = system.WhenTerminated.ContinueWith(_ => lifetime.StopApplication(), TaskScheduler.Default);
        await host.WaitForShutdownAsync();
        if (RemovedFromCluster(CoordinatedShutdown.Get(system).ShutdownReason) is { } why)
            throw new NodeRemovedException(why);
    }

    /// <summary>The sentence for a shutdown the cluster caused, or null for one the host asked for (SIGTERM, Ctrl-C).</summary>
    public static string? RemovedFromCluster(CoordinatedShutdown.Reason? reason) => reason switch
    {
        CoordinatedShutdown.ClusterDowningReason => "the node was downed and removed from the cluster; exiting so the service manager restarts it",
        CoordinatedShutdown.ClusterLeavingReason => "the node left the cluster; exiting so the service manager restarts it",
        CoordinatedShutdown.ClusterJoinUnsuccessfulReason => "the node could not join the cluster; exiting so the service manager restarts it",
        _ => null,
    };
}

/// <summary>The node's ActorSystem ended because the cluster removed it; the process exits with code 1.</summary>
public sealed class NodeRemovedException(string message) : Exception(message);
