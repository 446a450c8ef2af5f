namespace OgActors.Hosting.Configuration;

/// <summary>How a command-line/environment value becomes HOCON.</summary>
public enum OptionKind
{
    /// <summary>A string.</summary>
    Text,
    /// <summary>A whole number.</summary>
    Number,
    /// <summary>A byte size: a number of bytes or "50 GiB".</summary>
    Size,
    /// <summary>A list of strings; the option repeats, the environment variable is comma-separated.</summary>
    List,
    /// <summary>Partitions "N=DEVICE"; the option repeats, the environment variable is comma-separated.</summary>
    Partitions,
}

/// <summary>One setting that can be given on the command line (<see cref="Flag"/>) or in the environment (<see cref="Env"/>).</summary>
public sealed record NodeOption(string Flag, string? Env, string Path, OptionKind Kind, string Help);

/// <summary>The overridable settings of each kind of node: the configuration reference of the command line.</summary>
public static class NodeOptions
{
    public static readonly IReadOnlyList<NodeOption> Common =
    [
        new("--hostname", "OG_HOSTNAME", "og.node.hostname", OptionKind.Text, "address other nodes reach this one at"),
        new("--bind-hostname", "OG_BIND_HOSTNAME", "og.node.bind-hostname", OptionKind.Text, "address to listen on (default: --hostname)"),
        new("--port", "OG_PORT", "og.node.port", OptionKind.Number, "Akka.Remote port (0 = any free port)"),
        new("--seed", "OG_SEEDS", "og.cluster.seed-nodes", OptionKind.List, "coordinator address akka.tcp://ogactors@HOST:PORT (repeatable)"),
        new("--data", "OG_DATA", "og.node.data-dir", OptionKind.Text, "data directory"),
        new("--tls-ca", "OG_TLS_CA", "og.tls.ca", OptionKind.Text, "site CA certificate (ca.crt from 'ogctl pki init')"),
        new("--tls-cert", "OG_TLS_CERT", "og.tls.certificate", OptionKind.Text, "this node's certificate (NAME.crt from 'ogctl pki issue')"),
        new("--tls-key", "OG_TLS_KEY", "og.tls.key", OptionKind.Text, "this node's private key (NAME.key, mode 0600)"),
    ];

    public static readonly IReadOnlyList<NodeOption> Coordinator =
    [
        new("--api-url", "OG_API_URL", "og.coordinator.api.url", OptionKind.Text, "operator API address, e.g. http://127.0.0.1:5480"),
        new("--token", "OG_API_TOKEN", "og.coordinator.api.token", OptionKind.Text, "bearer token of the operator API"),
        new("--journal", "OG_JOURNAL", "og.coordinator.journal.provider", OptionKind.Text, "event journal: sqlite or postgresql"),
        new("--journal-connection", "OG_JOURNAL_CONNECTION", "og.coordinator.journal.postgresql.connection-string", OptionKind.Text, "PostgreSQL (Npgsql) connection string"),
    ];

    public static readonly IReadOnlyList<NodeOption> Repository =
    [
        new("--name", "OG_REPOSITORY_NAME", "og.repository.name", OptionKind.Text, "repository name (default: --hostname)"),
        new("--images", "OG_IMAGES", "og.repository.images-dir", OptionKind.Text, "images directory"),
        new("--http-url", "OG_REPOSITORY_URL", "og.repository.http-url", OptionKind.Text, "address of the repository's HTTP service"),
    ];

    public static readonly IReadOnlyList<NodeOption> Client =
    [
        new("--name", "OG_COMPUTER_NAME", "og.computer.name", OptionKind.Text, "computer name (default: host name)"),
        new("--mac", "OG_MAC", "og.computer.mac", OptionKind.Text, "MAC address (default: detected)"),
        new("--ip", "OG_IP", "og.computer.ip", OptionKind.Text, "IP address (default: detected)"),
        new("--partition", "OG_PARTITIONS", "og.computer.partitions", OptionKind.Partitions, "partition N=DEVICE (repeatable)"),
        new("--cache", "OG_CACHE", "og.computer.cache.dir", OptionKind.Text, "cache directory"),
        new("--cache-capacity", "OG_CACHE_CAPACITY", "og.computer.cache.capacity", OptionKind.Size, "cache capacity (bytes or e.g. \"50 GiB\")"),
    ];

    public static IReadOnlyList<NodeOption> For(NodeRole role) => role switch
    {
        NodeRole.Coordinator => [.. Common, .. Coordinator],
        NodeRole.Repository => [.. Common, .. Repository],
        NodeRole.Client => [.. Common, .. Client],
        _ => Common,
    };
}
