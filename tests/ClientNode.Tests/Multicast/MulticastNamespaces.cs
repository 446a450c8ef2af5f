using System.Diagnostics;
using OgActors.ClientNode.Tests.Support;

namespace OgActors.ClientNode.Tests.Multicast;

/// <summary>
/// Two network namespaces this test makes and removes (<c>ogt-mc-HEX-s</c> sender, <c>-r</c> receiver), joined by a veth
/// pair on 10.251.x.0/24 with a <c>224.0.0.0/4</c> route on each end: real multicast that never leaves them.
/// </summary>
public sealed class MulticastNamespaces : IDisposable
{
    private static int _next;

    public MulticastNamespaces()
    {
        var id = $"{Environment.ProcessId % 10000:x}{Interlocked.Increment(ref _next):x}";
        Sender = $"ogt-mc-{id}-s";
        Receiver = $"ogt-mc-{id}-r";
        var subnet = 1 + (Environment.ProcessId + _next) % 250;
        Tools.Run("ip", "netns", "add", Sender);
        Tools.Run("ip", "netns", "add", Receiver);
        Tools.Run("ip", "-n", Sender, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", Receiver);
        foreach (var (ns, host) in new[] { (Sender, 1), (Receiver, 2) })
        {
            Tools.Run("ip", "-n", ns, "addr", "add", $"10.251.{subnet}.{host}/24", "dev", "eth0");
            Tools.Run("ip", "-n", ns, "link", "set", "eth0", "up");
            Tools.Run("ip", "-n", ns, "link", "set", "lo", "up");
            Tools.Run("ip", "-n", ns, "route", "add", "224.0.0.0/4", "dev", "eth0");
        }
    }

    public string Sender { get; }
    public string Receiver { get; }

    public IReadOnlyList<string> In(string ns) => ["ip", "netns", "exec", ns];

    /// <summary>Processes still running inside a namespace (none should be, once a test ends).</summary>
    public IReadOnlyList<string> Pids(string ns)
    {
        var psi = new ProcessStartInfo("ip", $"netns pids {ns}") { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public void Dispose()
    {
        foreach (var ns in new[] { Sender, Receiver })
        {
            foreach (var pid in Pids(ns)) try { Process.GetProcessById(int.Parse(pid)).Kill(); } catch (ArgumentException) { }
            try { Tools.Run("ip", "netns", "del", ns); } catch (InvalidOperationException) { }
        }
    }
}
