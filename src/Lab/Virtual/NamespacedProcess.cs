using System.Diagnostics;

namespace OgActors.Lab.Virtual;

/// <summary>
/// A node started as its own OS process inside a namespace: <c>setsid ip netns exec NS dotnet NODE.dll ARGS</c>, its
/// output appended to a log file. setsid keeps it out of the terminal's process group (Ctrl-C reaches the lab, which
/// stops the nodes in order); <c>ip netns exec</c> and setsid exec, so the PID is the node's own.
/// </summary>
public static class NamespacedProcess
{
    public static int Start(string ns, IReadOnlyList<string> command, string log)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$OG_NODE_LOG\" 2>&1 </dev/null");
        foreach (var a in (IEnumerable<string>)["setsid", "ip", "netns", "exec", ns, .. command]) info.ArgumentList.Add(a);
        info.Environment["OG_NODE_LOG"] = log;
        using var process = Process.Start(info) ?? throw new VirtualLabException($"Cannot start {command[0]} in {ns}.");
        return process.Id;
    }

    /// <summary>True while the process runs (a zombie waiting to be reaped counts as gone).</summary>
    public static bool IsAlive(int pid)
    {
        if (pid <= 0) return false;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }
}
