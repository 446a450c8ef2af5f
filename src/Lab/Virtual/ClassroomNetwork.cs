using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OgActors.Lab.Virtual;

/// <summary>One shaped link: the interfaces at both ends and its rate.</summary>
public sealed record LinkEntry(string Name, string Namespace, string Interface, string BridgeSide, int RateMbit);

/// <summary>
/// The classroom network of a virtual lab: namespaces named <c>ogl-HASH-…</c> (HASH from the data directory, so a
/// leftover of a crashed run on the same directory is found and nothing else is touched), one bridge in its own
/// namespace, the servers' namespace (coordinator + repository) and one namespace per computer, each joined to the
/// bridge by a veth pair whose both ends live in lab namespaces (nothing in the root namespace, no default route, no
/// NAT: nothing routes out). Every link is shaped with tbf in both directions.
/// </summary>
public sealed class ClassroomNetwork
{
    public const string Network = "172.17.36.0/24";
    public const string ServerIp = "172.17.36.1";
    public const string MulticastGroup = "239.194.17.36";
    public const string Interface = "eth0";
    public const string BridgeName = "br0";

    public ClassroomNetwork(string dataDir)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataDir).TrimEnd('/'))))[..6].ToLowerInvariant();
        Prefix = $"ogl-{hash}-";
    }

    public string Prefix { get; }
    public string BridgeNamespace => Prefix + "br";
    public string ServerNamespace => Prefix + "srv";
    public string ComputerNamespace(string computer) => Prefix + computer;
    public static string ComputerIp(int index) => string.Create(CultureInfo.InvariantCulture, $"172.17.36.{10 + index}");

    /// <summary>Removes every namespace with this lab's prefix (killing its processes first): a crashed run's leftovers.</summary>
    public void RemoveLeftovers()
    {
        var mine = NetNs.List().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).ToList();
        if (mine.Count == 0) return;
        foreach (var ns in mine) NetNs.Signal(ns, NetNs.SigKill);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (mine.Any(ns => NetNs.Pids(ns).Count > 0) && DateTime.UtcNow < deadline) Thread.Sleep(100);
        foreach (var ns in mine) NetNs.TryRun("ip", "netns", "del", ns); // the veths go with their namespaces
    }

    /// <summary>The bridge's namespace and the servers' link.</summary>
    public LinkEntry CreateCore(int repositoryMbit)
    {
        NetNs.Run("ip", "netns", "add", BridgeNamespace);
        NetNs.Ip(BridgeNamespace, "link", "set", "lo", "up");
        NetNs.Ip(BridgeNamespace, "link", "add", BridgeName, "type", "bridge");
        NetNs.Ip(BridgeNamespace, "link", "set", BridgeName, "up");
        return AddHost("srv", ServerNamespace, ServerIp, repositoryMbit);
    }

    /// <summary>A computer's namespace and link.</summary>
    public LinkEntry AddComputer(string computer, int index, int mbit) => AddHost(computer, ComputerNamespace(computer), ComputerIp(index), mbit);

    private LinkEntry AddHost(string name, string ns, string ip, int mbit)
    {
        NetNs.Run("ip", "netns", "add", ns);
        NetNs.Ip(ns, "link", "set", "lo", "up");
        var bridgeSide = "v-" + name;
        if (bridgeSide.Length > 15) bridgeSide = bridgeSide[..15];
        // Made in the bridge's namespace with its peer created straight into the host's: never in the root namespace.
        NetNs.Ip(BridgeNamespace, "link", "add", bridgeSide, "type", "veth", "peer", "name", Interface, "netns", ns);
        NetNs.Ip(BridgeNamespace, "link", "set", bridgeSide, "master", BridgeName);
        NetNs.Ip(BridgeNamespace, "link", "set", bridgeSide, "up");
        NetNs.Ip(ns, "addr", "add", ip + "/24", "dev", Interface);
        NetNs.Ip(ns, "link", "set", Interface, "up");
        NetNs.Ip(ns, "route", "add", "224.0.0.0/4", "dev", Interface); // multicast on the classroom's link; no default route
        Shape(ns, Interface, mbit);             // what the host sends (a computer's upload, the repository's downloads)
        Shape(BridgeNamespace, bridgeSide, mbit); // what the host receives
        return new LinkEntry(name, ns, Interface, bridgeSide, mbit);
    }

    /// <summary>tbf at <paramref name="mbit"/>: a burst of 4 ms of the rate (at least 128 KiB, so GSO packets pass), 100 ms of queue (TCP keeps the link full).</summary>
    private static void Shape(string ns, string device, int mbit)
    {
        var burst = Math.Max(128 * 1024, (long)mbit * 1_000_000 / 8 / 250);
        NetNs.Tc(ns, "qdisc", "replace", "dev", device, "root", "tbf", "rate", $"{mbit}mbit",
            "burst", burst.ToString(CultureInfo.InvariantCulture), "latency", "100ms");
    }

    /// <summary>The MAC of a host's interface (the veth's, as the kernel made it).</summary>
    public static string MacOf(string ns) =>
        System.Text.RegularExpressions.Regex.Match(NetNs.Ip(ns, "link", "show", Interface), @"link/ether ([0-9a-f:]{17})").Groups[1].Value;

    /// <summary>Every namespace this lab made, servers last (the order to stop them in).</summary>
    public IEnumerable<string> Namespaces(IEnumerable<string> computers) =>
        [.. computers.Select(ComputerNamespace), ServerNamespace, BridgeNamespace];

    public void Remove(IEnumerable<string> computers)
    {
        foreach (var ns in Namespaces(computers)) NetNs.TryRun("ip", "netns", "del", ns);
    }
}
