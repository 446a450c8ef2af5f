using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using OgActors.Coordinator.Domain;
using OgActors.Messages.Classrooms;

namespace OgActors.Coordinator.Classrooms;

/// <summary>Validation of classroom data and the OpenGnsys defaults derived from it. Each refusal is one sentence.</summary>
public static partial class ClassroomRules
{
    public const int FirstMulticastPort = 9000;
    public const int LastMulticastPort = 9098;

    public static P2PSettings DefaultP2P { get; } = new(P2PMode.Peer, 60);

    /// <summary>The seed's rule: 239.194.x.z where x and z are the 2nd and 3rd octets of the network (172.17.36.0 → 239.194.17.36).</summary>
    public static string DefaultGroupAddress(IPNetwork network)
    {
        var b = network.BaseAddress.GetAddressBytes();
        return $"239.194.{b[1]}.{b[2]}";
    }

    public static MulticastSettings DefaultMulticast(IPNetwork network) =>
        new(FirstMulticastPort, DefaultGroupAddress(network), DuplexMode.Full, MaxMbps: 90, WaitForComputers: 0, MaxWaitSeconds: 120);

    public static string? CheckNetwork(string? cidr, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(cidr)) return "The network is required, as an IPv4 CIDR such as 172.17.36.0/24.";
        var parts = cidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(parts[1], out var prefix))
            return $"The network '{cidr}' is not an IPv4 CIDR such as 172.17.36.0/24.";
        if (prefix is < 8 or > 30) return $"The network '{cidr}' must have a prefix length between /8 and /30.";
        var masked = Mask(address, prefix);
        network = new IPNetwork(masked, prefix);
        if (!masked.Equals(address))
            return $"The network '{cidr}' has host bits set; write its network address, e.g. {new IPNetwork(Mask(address, prefix), prefix)}.";
        return null;
    }

    public static string? CheckComputer(ClassroomView room, string name, string ip, string mac, string repository, long cacheSize)
    {
        if (Names.Check("computer name", name) is { } bad) return bad;
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != AddressFamily.InterNetwork || ip.Count(c => c == '.') != 3)
            return $"The IP address '{ip}' is not an IPv4 address.";
        var network = IPNetwork.Parse(room.Network);
        if (!network.Contains(address)) return $"The IP address {ip} is outside classroom {room.Name}'s network {room.Network}.";
        if (address.Equals(network.BaseAddress) || address.Equals(Broadcast(network)))
            return $"The IP address {ip} is the network or broadcast address of {room.Network}.";
        if (NormalizeMac(mac) is not { } normalized) return $"The MAC address '{mac}' is not 12 hexadecimal digits (e.g. 52:54:00:12:34:56).";
        if (repository.Length > 0 && Names.Check("repository name", repository) is { } badRepo) return badRepo;
        if (cacheSize < 0) return "The cache size cannot be negative.";
        if (room.Computers.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } same)
            return $"Classroom {room.Name} already has a computer named {same.Name}.";
        if (room.Computers.FirstOrDefault(c => c.Ip == address.ToString()) is { } sameIp)
            return $"The IP address {ip} is already used by {sameIp.Name}.";
        if (room.Computers.FirstOrDefault(c => c.Mac == normalized) is { } sameMac)
            return $"The MAC address {normalized} is already used by {sameMac.Name}.";
        return null;
    }

    public static string? CheckPort(int port) =>
        port is < FirstMulticastPort or > LastMulticastPort || port % 2 != 0
            ? $"The multicast port {port} must be even and between {FirstMulticastPort} and {LastMulticastPort} (9000, 9002, …)."
            : null;

    public static string? CheckMulticast(MulticastSettings m)
    {
        if (CheckPort(m.Port) is { } badPort) return badPort;
        if (!IPAddress.TryParse(m.GroupAddress, out var group) || group.AddressFamily != AddressFamily.InterNetwork
            || m.GroupAddress.Count(c => c == '.') != 3 || group.GetAddressBytes()[0] is < 224 or > 239)
            return $"The multicast group '{m.GroupAddress}' is not an IPv4 multicast address (224.0.0.0 to 239.255.255.255).";
        if (m.MaxMbps is < 1 or > 100_000) return $"The multicast speed {m.MaxMbps} Mbit/s must be between 1 and 100000.";
        if (m.WaitForComputers < 0) return "The number of computers to wait for cannot be negative (0 means all).";
        if (m.MaxWaitSeconds is < 1 or > 86_400) return $"The maximum wait of {m.MaxWaitSeconds} s must be between 1 and 86400 seconds.";
        return null;
    }

    public static string? CheckP2P(P2PSettings p) =>
        p.SeedSeconds is < 0 or > 86_400 ? $"The seeding time of {p.SeedSeconds} s must be between 0 and 86400 seconds." : null;

    /// <summary>"52-54-00-AB-cd-ef", "525400abcdef" → "52:54:00:ab:cd:ef"; null when not a MAC.</summary>
    public static string? NormalizeMac(string? mac)
    {
        if (mac is null) return null;
        var hex = MacSeparators().Replace(mac, "").ToLowerInvariant();
        if (hex.Length != 12 || !hex.All(Uri.IsHexDigit)) return null;
        return string.Join(':', Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2)));
    }

    [GeneratedRegex("[:\\-.]")]
    private static partial Regex MacSeparators();

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        var value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        value &= prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }

    private static IPAddress Broadcast(IPNetwork network)
    {
        var b = network.BaseAddress.GetAddressBytes();
        var value = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) | (uint.MaxValue >> network.PrefixLength);
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }
}
