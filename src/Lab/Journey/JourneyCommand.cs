using System.Globalization;
using System.Runtime.InteropServices;

namespace OgActors.Lab.Journey;

/// <summary><c>og-lab journey [--data DIR] [--keep]</c>: the main job; exit 0 when every computer restored the image intact.</summary>
public static class JourneyCommand
{
    public const string Usage = "usage: og-lab journey [--data DIR] [--keep] [--virtual [--computers N] [--protocol unicast|multicast|master|torrent] [--p2p-mode peer|leecher] [--link-mbit M] [--repo-link-mbit R] [--image-mib S]]";

    public static async Task<int> RunAsync(string[] args)
    {
        string? data = null;
        var keep = false;
        var check = false;
        var plan = new JourneyPlan(ImageMiB: 150);
        bool Number(int i, int min, int max, out int value) => int.TryParse(i < args.Length ? args[i] : "", out value) && value >= min && value <= max;
        for (var i = 1; i < args.Length; i++)
        {
            int n;
            switch (args[i])
            {
                case "--data" when i + 1 < args.Length: data = args[++i]; break;
                case "--keep": keep = true; break;
                case "--check-options": check = true; break; // run.sh: refuse bad options in one sentence before anything starts
                case "--virtual": plan = plan with { Virtual = true }; break;
                case "--computers" when Number(i + 1, 2, 200, out n): plan = plan with { Computers = n }; i++; break;
                case "--link-mbit" when Number(i + 1, 1, 100_000, out n): plan = plan with { LinkMbit = n }; i++; break;
                case "--repo-link-mbit" when Number(i + 1, 1, 100_000, out n): plan = plan with { RepositoryLinkMbit = n }; i++; break;
                case "--image-mib" when Number(i + 1, 0, 100_000, out n): plan = plan with { ImageMiB = n }; i++; break;
                case "--protocol" when i + 1 < args.Length:
                    var protocol = args[++i].ToLowerInvariant();
                    if (!JourneyPlan.Protocols.Contains(protocol))
                    { Console.Error.WriteLine($"og-lab: unknown protocol '{args[i]}'; the journey runs --protocol {string.Join(" or ", JourneyPlan.Protocols)}."); return 2; }
                    plan = plan with { Protocol = protocol };
                    break;
                case "--p2p-mode" when i + 1 < args.Length:
                    var mode = args[++i].ToLowerInvariant();
                    if (!JourneyPlan.P2PModes.Contains(mode))
                    { Console.Error.WriteLine($"og-lab: unknown P2P mode '{args[i]}'; the torrent journey runs --p2p-mode {string.Join(" or ", JourneyPlan.P2PModes)}."); return 2; }
                    plan = plan with { P2PMode = mode };
                    break;
                case "-h" or "--help": Console.WriteLine(Usage); return 0;
                default: Console.Error.WriteLine($"og-lab: unknown or incomplete option '{args[i]}'. {Usage}"); return 2;
            }
        }
        if (!plan.Virtual && (plan.Computers != 4)) { Console.Error.WriteLine("og-lab: --computers needs --virtual (the loopback journey has 4)."); return 2; }
        if (!plan.Virtual && plan.Multicast) { Console.Error.WriteLine("og-lab: --protocol multicast needs --virtual (multicast runs only inside the virtual classroom's namespaces)."); return 2; }
        if (!plan.Virtual && plan.Master) { Console.Error.WriteLine("og-lab: --protocol master needs --virtual (the master relays by multicast, which runs only inside the virtual classroom's namespaces)."); return 2; }
        if (!plan.Virtual && plan.Torrent) { Console.Error.WriteLine("og-lab: --protocol torrent needs --virtual (the computers' aria2 and the repository's tracker need a real address each, which the virtual classroom gives)."); return 2; }
        if (check) return 0;
        var temporary = data is null;
        data = Path.GetFullPath(data ?? Path.Combine(Path.GetTempPath(), "ogactors-journey-" + Guid.NewGuid().ToString("N")[..8]));
        if (Directory.Exists(data) && Directory.EnumerateFileSystemEntries(data).Any())
        {
            Console.Error.WriteLine($"og-lab: {data} is not empty; the journey needs a new or empty data directory.");
            return 2;
        }
        Directory.CreateDirectory(data);

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        // The nodes log to DIR/lab.log (they write to Console.Out); the journey writes its own lines to the real stdout.
        var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        var log = Path.Combine(data, "lab.log");
        var logWriter = new StreamWriter(new FileStream(log, FileMode.Create, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        Console.SetOut(TextWriter.Synchronized(logWriter));
        JourneyReport report;
        try { report = await new DeployJourney(data, stdout, plan).RunAsync(stop.Token); }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { Console.SetOut(stdout); Console.Error.WriteLine($"og-lab: journey interrupted; the nodes' log is {log}."); return 130; }
        catch (TaskCanceledException) // an HTTP call's own timeout, not a signal
        {
            Console.SetOut(stdout);
            Console.Error.WriteLine($"og-lab: the journey failed: the coordinator's API did not answer in time (the nodes' log is {log}).");
            return 1;
        }
        Console.SetOut(stdout);
        await logWriter.DisposeAsync();

        Console.WriteLine();
        Console.WriteLine($"Image {report.Image} revision {report.Revision}: {(report.InfoLine.Length > 0 ? report.InfoLine : "-")}");
        JourneyReport.PrintTable(Console.Out, report.Rows);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Total {report.TotalSeconds:0.0} s: lab start {report.LabStartSeconds:0.0} s, capture {report.CaptureSeconds:0.0} s, incorporation {report.IncorporationSeconds:0.0} s, deploy {report.DeploySeconds:0.0} s."));
        if (report.Limit is { Protocol: "multicast" } m)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Physical limit (multicast, one stream of {m.ImageBytes:N0} image bytes = {m.WireBytes:N0} bytes on the wire for {m.Computers} computer(s); {m.HeaderRule}): repository link {m.RepositoryLinkMbit} Mbit/s → {m.RepositoryLimitSeconds:0.00} s, one computer's link {m.LinkMbit} Mbit/s → {m.ComputerLimitSeconds:0.00} s; limit {m.LimitSeconds:0.00} s."));
            if (m.Seconds > 0)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Measured network phase (updateCache) {m.Seconds:0.00} s: ratio {m.Ratio:0.000} to the limit; restore from the caches after it {m.RestoreSeconds:0.00} s."));
        }
        else if (report.Limit is { Protocol: "master" } r)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Physical limit (master relay: pc01 fetches {r.ImageBytes:N0} bytes once by unicast, then one multicast stream of {r.WireBytes:N0} wire bytes to {r.Computers} computer(s)): repository link {r.RepositoryLinkMbit} Mbit/s → {r.RepositoryLimitSeconds:0.00} s for the fetch, the computers' links {r.LinkMbit} Mbit/s → {r.ComputerLimitSeconds:0.00} s for fetch + stream; limit {r.LimitSeconds:0.00} s."));
            if (r.Seconds > 0)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Measured relay (clone-remote IMG-REPO by multicast, restore into the partitions included) {r.Seconds:0.00} s: ratio {r.Ratio:0.000} to the limit."));
        }
        else if (report.Limit is { Protocol: "torrent" } t)
        {
            if (t.P2PMode == "peer")
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Physical limit (torrent, peer mode, {t.Computers} computer(s), {t.ImageBytes:N0} image bytes each; every computer must receive the whole image through its own link, the repository must send every byte once, and the {t.Computers} copies are uploaded by the repository and the computers together): one computer's link {t.LinkMbit} Mbit/s → {t.ComputerLimitSeconds:0.00} s, repository link {t.RepositoryLinkMbit} Mbit/s → {t.RepositoryLimitSeconds:0.00} s, the swarm's upload ({t.Computers} × image over {t.RepositoryLinkMbit} + {t.Computers} × {t.LinkMbit} Mbit/s) → {t.SwarmLimitSeconds:0.00} s; limit {t.LimitSeconds:0.00} s."));
            else
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Physical limit (torrent, leecher mode: the computers share nothing, so the repository sends {t.Computers} copies of {t.ImageBytes:N0} image bytes, as unicast): repository link {t.RepositoryLinkMbit} Mbit/s → {t.RepositoryLimitSeconds:0.00} s, one computer's link {t.LinkMbit} Mbit/s → {t.ComputerLimitSeconds:0.00} s; limit {t.LimitSeconds:0.00} s."));
            if (t.Seconds > 0)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Measured network phase (updateCache, {t.P2PMode} mode) {t.Seconds:0.00} s: ratio {t.Ratio:0.000} to the limit (load average {t.LoadAverage:0.0}); restore from the caches after it {t.RestoreSeconds:0.00} s."));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Repository upload: its link sent {t.RepositorySentBytes:N0} bytes (eth0 tx_bytes) = {t.RepositoryUploadRatio:0.00} × the image ({t.P2PMode} mode; unicast would send {t.Computers} ×)."));
        }
        else if (report.Limit is { } l)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Physical limit ({l.Protocol}, {l.Computers} computer(s) × {l.ImageBytes:N0} bytes): repository link {l.RepositoryLinkMbit} Mbit/s → {l.RepositoryLimitSeconds:0.00} s, one computer's link {l.LinkMbit} Mbit/s → {l.ComputerLimitSeconds:0.00} s; limit {l.LimitSeconds:0.00} s."));
            if (l.Seconds > 0)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Measured network phase (updateCache) {l.Seconds:0.00} s: ratio {l.Ratio:0.000} to the limit; restore from the caches after it {l.RestoreSeconds:0.00} s."));
        }
        if (report.Limit is { Protocol: "unicast" or "multicast", RepositorySentBytes: > 0 } u)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Repository upload: its link sent {u.RepositorySentBytes:N0} bytes (eth0 tx_bytes) = {u.RepositoryUploadRatio:0.00} × the image."));
        if (!report.Succeeded) { Console.Error.WriteLine($"og-lab: the journey failed: {report.Failure} (the nodes' log is {log})"); return 1; }
        if (temporary && !keep) { try { Directory.Delete(data, true); } catch (IOException) { } }
        Console.WriteLine("journey: every computer restored the image intact.");
        return 0;
    }
}
