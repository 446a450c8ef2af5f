using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace OgActors.ClientNode.Computer;

/// <summary>The computer's MAC and IP when they are not configured: those of the interface carrying the node's address.</summary>
public static class NetworkIdentity
{
    public static (string Mac, string Ip) Detect(string hostname)
    {
        var interfaces = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .ToList();
        var wanted = IPAddress.TryParse(hostname, out var address) ? address : null;
        var nic = interfaces.FirstOrDefault(n => wanted is not null && n.GetIPProperties().UnicastAddresses.Any(u => u.Address.Equals(wanted)))
                  ?? interfaces.FirstOrDefault(n => n.GetIPProperties().UnicastAddresses.Any(u => u.Address.AddressFamily == AddressFamily.InterNetwork));
        var ip = wanted?.ToString()
                 ?? nic?.GetIPProperties().UnicastAddresses.FirstOrDefault(u => u.Address.AddressFamily == AddressFamily.InterNetwork)?.Address.ToString()
                 ?? hostname;
        var bytes = nic?.GetPhysicalAddress().GetAddressBytes() ?? [];
        var mac = bytes.Length == 6 ? string.Join(':', bytes.Select(b => b.ToString("x2"))) : "00:00:00:00:00:00";
        return (mac, ip);
    }
}
