namespace OgActors.Lab.Virtual;

/// <summary>
/// <c>og-lab power off|on COMPUTER --data DIR</c>: pulls a virtual computer's plug (SIGKILL to every process in its
/// namespace) or powers it on again (its client started with the same arguments, detached; the new PID goes into lab.json).
/// </summary>
public static class PowerCommand
{
    public const string Usage = "usage: og-lab power off|on COMPUTER [--data DIR]";

    public static int Run(string[] args)
    {
        string? data = null;
        var words = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--data" && i + 1 < args.Length) data = args[++i];
            else if (args[i].StartsWith("--", StringComparison.Ordinal)) { Console.Error.WriteLine($"og-lab: unknown option '{args[i]}'. {Usage}"); return 2; }
            else words.Add(args[i]);
        }
        if (words.Count != 2 || words[0] is not ("on" or "off")) { Console.Error.WriteLine($"og-lab: {Usage}"); return 2; }
        data = Path.GetFullPath(data ?? LabDirectory.Default());
        if (!File.Exists(Path.Combine(data, LabManifest.FileName))) { Console.Error.WriteLine($"og-lab: no running lab in {data} (no {LabManifest.FileName})."); return 1; }
        var manifest = LabManifest.Read(data);
        var computer = manifest.Computers.FirstOrDefault(c => c.Name.Equals(words[1], StringComparison.OrdinalIgnoreCase));
        if (computer is null) { Console.Error.WriteLine($"og-lab: the lab has no computer '{words[1]}' ({string.Join(", ", manifest.Computers.Select(c => c.Name))})."); return 1; }
        if (computer.Namespace is null || computer.Command is null) { Console.Error.WriteLine("og-lab: power works on a virtual lab (./run.sh lab --virtual) only."); return 1; }
        try
        {
            if (words[0] == "off")
            {
                NetNs.Signal(computer.Namespace, NetNs.SigKill);
                var deadline = DateTime.UtcNow.AddSeconds(5);
                while (NetNs.Pids(computer.Namespace).Count > 0 && DateTime.UtcNow < deadline) Thread.Sleep(50);
                Console.WriteLine($"og-lab: {computer.Name} is off (every process in {computer.Namespace} killed).");
                return 0;
            }
            if (NetNs.Pids(computer.Namespace).Count > 0) { Console.WriteLine($"og-lab: {computer.Name} is already on."); return 0; }
            var pid = NamespacedProcess.Start(computer.Namespace, computer.Command, computer.Log ?? Path.Combine(data, "logs", computer.Name + ".log"));
            var updated = manifest with { Computers = [.. manifest.Computers.Select(c => c.Name == computer.Name ? c with { Pid = pid } : c)] };
            updated.Write(data);
            Console.WriteLine($"og-lab: {computer.Name} is on (client PID {pid}); it registers by itself.");
            return 0;
        }
        catch (VirtualLabException e) { Console.Error.WriteLine($"og-lab: {e.Message}"); return 1; }
    }
}
