using Akka.Actor;
using Akka.Configuration;

namespace OgActors.Hosting.Configuration;

/// <summary>What every node needs to join the network: its address, its data directory and the coordinators' addresses.</summary>
public sealed record NodeSettings(
    string SystemName,
    string Hostname,
    string BindHostname,
    int Port,
    string DataDir,
    IReadOnlyList<string> SeedNodes)
{
    public static NodeSettings From(Config config)
    {
        var hostname = config.GetString("og.node.hostname", "");
        if (string.IsNullOrWhiteSpace(hostname)) throw new SettingsException("og.node.hostname is empty; set --hostname to the address other nodes reach this one at.");
        var port = config.GetInt("og.node.port", -1);
        if (port is < 0 or > 65535) throw new SettingsException($"og.node.port must be between 0 and 65535, got {config.GetString("og.node.port")}.");
        var dataDir = config.GetString("og.node.data-dir", "");
        if (string.IsNullOrWhiteSpace(dataDir)) throw new SettingsException("og.node.data-dir is empty; set --data to a directory this node may write.");
        var systemName = config.GetString("og.cluster.system-name", "ogactors");
        // With TLS the nodes' addresses are akka.ssl.tcp://; a seed written either way means the same coordinator.
        var scheme = Tls.TlsSettings.Scheme(config);
        var seeds = config.GetStringList("og.cluster.seed-nodes")?.ToList() ?? [];
        foreach (var seed in seeds)
        {
            if (!ActorPath.TryParseAddress(seed, out var address) || address.Host is null || address.Port is null)
                throw new SettingsException($"The seed node '{seed}' is not an address like akka.tcp://{systemName}@host:4053.");
            if (address.System != systemName)
                throw new SettingsException($"The seed node '{seed}' names the system '{address.System}', but this installation is '{systemName}'.");
        }
        seeds = [.. seeds.Select(s => WithScheme(s, scheme))];
        var bind = config.GetString("og.node.bind-hostname", "");
        return new NodeSettings(systemName, hostname, string.IsNullOrWhiteSpace(bind) ? hostname : bind, port,
            Path.GetFullPath(dataDir), seeds);
    }

    private static string WithScheme(string seed, string scheme)
    {
        foreach (var known in new[] { "akka.ssl.tcp://", "akka.tcp://" })
            if (seed.StartsWith(known, StringComparison.OrdinalIgnoreCase)) return scheme + "://" + seed[known.Length..];
        return seed;
    }

    /// <summary>Creates the data directory, with a clear sentence if it cannot be.</summary>
    public string EnsureDataDir()
    {
        try
        {
            Directory.CreateDirectory(DataDir);
            return DataDir;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException($"Cannot create the data directory '{DataDir}': {e.Message}");
        }
    }
}
