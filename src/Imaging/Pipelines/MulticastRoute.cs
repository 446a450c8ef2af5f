using System.Globalization;
using System.Net;

namespace OgActors.Imaging.Pipelines;

/// <summary>
/// The network interface a multicast group is routed through (the most specific route of the main table that covers it,
/// from <c>/proc/net/route</c>, e.g. the lab's <c>224.0.0.0/4 dev eth0</c>); "" when none does (udpcast then picks its own).
/// </summary>
public static class MulticastRoute
{
    public static string InterfaceFor(string group, string routeTable = "/proc/net/route")
    {
        if (!IPAddress.TryParse(group, out var address) || !File.Exists(routeTable)) return "";
        var b = address.GetAddressBytes();
        var target = (uint)(b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24); // /proc/net/route is little-endian hex
        string best = "";
        var bestBits = -1;
        foreach (var line in File.ReadLines(routeTable).Skip(1))
        {
            var f = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (f.Length < 8 || !uint.TryParse(f[1], NumberStyles.HexNumber, null, out var dest) || !uint.TryParse(f[7], NumberStyles.HexNumber, null, out var mask)) continue;
            if ((target & mask) != dest) continue;
            var bits = System.Numerics.BitOperations.PopCount(mask);
            if (bits > bestBits) { bestBits = bits; best = f[0]; }
        }
        return best;
    }
}
