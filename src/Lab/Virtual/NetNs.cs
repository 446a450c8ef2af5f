using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace OgActors.Lab.Virtual;

/// <summary>
/// The Linux network-namespace operations the virtual lab needs: the real <c>ip</c> and <c>tc</c> tools (iproute2), and
/// sockets opened inside a namespace from this process (setns on a short-lived thread of its own).
/// </summary>
public static class NetNs
{
    private const int CloneNewNet = 0x40000000;

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);

    /// <summary>Runs a tool; throws <see cref="VirtualLabException"/> naming the command when it fails.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        var (exit, output) = TryRun(tool, arguments);
        if (exit != 0)
            throw new VirtualLabException($"'{tool} {string.Join(' ', arguments)}' failed (exit {exit}): {output.Trim().Split('\n').LastOrDefault()}");
        return output;
    }

    public static (int Exit, string Output) TryRun(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["LC_ALL"] = "C";
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new VirtualLabException($"{tool} was not found; the virtual lab needs iproute2 (ip, tc) and root.");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.Result);
        }
    }

    /// <summary>In namespace <paramref name="ns"/>: <c>ip -n NS ARGS</c>.</summary>
    public static string Ip(string ns, params string[] arguments) => Run("ip", ["-n", ns, .. arguments]);

    /// <summary>In namespace <paramref name="ns"/>: <c>ip netns exec NS tc ARGS</c>.</summary>
    public static string Tc(string ns, params string[] arguments) => Run("ip", ["netns", "exec", ns, "tc", .. arguments]);

    public static IReadOnlyList<string> List() =>
        [.. TryRun("ip", "netns", "list").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ')[0])];

    public static IReadOnlyList<int> Pids(string ns) =>
        [.. TryRun("ip", "netns", "pids", ns).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => int.TryParse(l, out var p) ? p : 0).Where(p => p > 0)];

    /// <summary>The bytes interface <paramref name="device"/> of namespace <paramref name="ns"/> has sent (its kernel counter, tx_bytes).</summary>
    public static long TxBytes(string ns, string device = ClassroomNetwork.Interface)
    {
        var text = Run("ip", "netns", "exec", ns, "cat", $"/sys/class/net/{device}/statistics/tx_bytes").Trim();
        return long.TryParse(text, out var bytes) ? bytes : throw new VirtualLabException($"The tx_bytes of {device} in {ns} is not a number: '{text}'.");
    }

    /// <summary>Sends a signal to every process of a namespace.</summary>
    public static void Signal(string ns, int signal)
    {
        foreach (var pid in Pids(ns)) Kill(pid, signal);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);

    public static bool Kill(int pid, int signal) => SysKill(pid, signal) == 0;

    public const int SigKill = 9, SigTerm = 15;

    /// <summary>A TCP socket created inside namespace <paramref name="ns"/> (it stays there whichever thread uses it).</summary>
    public static Socket TcpSocketIn(string ns)
    {
        Socket? socket = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var target = File.OpenHandle(Path.Combine("/run/netns", ns));
                if (setns((int)target.DangerousGetHandle(), CloneNewNet) != 0)
                    throw new VirtualLabException($"Cannot enter network namespace {ns} (errno {Marshal.GetLastPInvokeError()}); the virtual lab needs root.");
                socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            }
            catch (Exception e) { error = e; }
        }) { IsBackground = true, Name = "netns " + ns };
        thread.Start();
        thread.Join(); // the thread ends here, and with it its namespace; the socket keeps the one it was made in
        if (error is not null) throw error is VirtualLabException ? error : new VirtualLabException($"Cannot open a socket in {ns}: {error.Message}");
        return socket!;
    }
}

/// <summary>The virtual lab could not be built or driven; the message is the one sentence the operator sees.</summary>
public sealed class VirtualLabException(string message) : Exception(message);
