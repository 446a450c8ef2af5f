using System.Collections.Concurrent;

namespace OgActors.RepositoryNode.Unicast;

/// <summary>
/// The coordinators' upload secrets this repository has received over the cluster (by coordinator address), read by
/// the unicast service to verify upload capabilities. Empty until a coordinator answered: then every upload is refused.
/// </summary>
public sealed class UploadKeys
{
    private readonly ConcurrentDictionary<string, byte[]> _byCoordinator = new(StringComparer.Ordinal);

    public IReadOnlyCollection<byte[]> Secrets => [.. _byCoordinator.Values];

    public bool Has(string coordinator) => _byCoordinator.ContainsKey(coordinator);

    public void Grant(string coordinator, byte[] secret) => _byCoordinator[coordinator] = secret;
}
