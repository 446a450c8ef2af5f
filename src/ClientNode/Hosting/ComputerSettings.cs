using Akka.Configuration;
using OgActors.Hosting.Configuration;

namespace OgActors.ClientNode.Hosting;

/// <summary>A partition the agent may use, as configured: its number, device (or file), and optionally its filesystem.</summary>
public sealed record PartitionSetting(int Number, string Device, string? Filesystem);

/// <summary>The computer this client node is the agent of (<c>og.computer</c>).</summary>
public sealed record ComputerSettings(
    string Name,
    string? Mac,
    string? Ip,
    IReadOnlyList<PartitionSetting> Partitions,
    string CacheDir,
    long CacheCapacity,
    TimeSpan RegisterRetry)
{
    public static ComputerSettings From(Config config, NodeSettings node)
    {
        var name = config.GetString("og.computer.name", "");
        if (string.IsNullOrWhiteSpace(name)) name = Environment.MachineName;
        var partitions = new List<PartitionSetting>();
        foreach (var p in config.GetValue("og.computer.partitions")?.GetArray() ?? [])
        {
            var obj = p.GetObject();
            var number = obj.GetKey("number")?.GetInt() ?? 0;
            var device = obj.GetKey("device")?.GetString() ?? "";
            if (number < 1 || string.IsNullOrWhiteSpace(device))
                throw new SettingsException("Every entry of og.computer.partitions needs a number (1 or more) and a device.");
            if (partitions.Any(x => x.Number == number))
                throw new SettingsException($"Partition {number} is configured twice in og.computer.partitions.");
            var fs = obj.GetKey("filesystem")?.GetString();
            partitions.Add(new PartitionSetting(number, device, string.IsNullOrWhiteSpace(fs) ? null : fs));
        }
        var capacity = ByteSize.Parse(config.GetString("og.computer.cache.capacity", "0"), "og.computer.cache.capacity");
        var cacheDir = config.GetString("og.computer.cache.dir", "");
        if (capacity > 0 && string.IsNullOrWhiteSpace(cacheDir))
            throw new SettingsException("og.computer.cache.capacity is set but og.computer.cache.dir is empty; set --cache.");
        var retry = config.GetTimeSpan("og.computer.register-retry", TimeSpan.FromSeconds(2));
        return new ComputerSettings(name.Trim(), Blank(config.GetString("og.computer.mac", "")), Blank(config.GetString("og.computer.ip", "")),
            [.. partitions.OrderBy(p => p.Number)], string.IsNullOrWhiteSpace(cacheDir) ? "" : Path.GetFullPath(cacheDir), capacity,
            retry <= TimeSpan.Zero ? TimeSpan.FromSeconds(2) : retry);
    }

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
