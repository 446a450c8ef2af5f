namespace OgActors.Hosting.Configuration;

/// <summary>The kinds of node; each has its embedded hocon/&lt;role&gt;.hocon layer.</summary>
public enum NodeRole
{
    Coordinator,
    Repository,
    Client,
}

public static class NodeRoles
{
    /// <summary>Akka.Cluster role of coordinator members.</summary>
    public const string Coordinator = "coordinator";

    /// <summary>Akka.Cluster role of repository members.</summary>
    public const string Repository = "repository";

    public static string HoconName(this NodeRole role) => role switch
    {
        NodeRole.Coordinator => "coordinator",
        NodeRole.Repository => "repository",
        NodeRole.Client => "client",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };
}
