using Akka.Actor;

namespace OgActors.Hosting.Cluster;

public static class ClusterReadiness
{
    /// <summary>Completes when the node's own member is Up, or fails with one sentence after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilUpAsync(ActorSystem system, TimeSpan timeout)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        if (await Task.WhenAny(up.Task, Task.Delay(timeout)) != up.Task)
            throw new TimeoutException($"{cluster.SelfAddress} did not become an Up cluster member within {timeout.TotalSeconds:0} s; are the seed nodes reachable?");
    }
}
