using System.Globalization;
using System.Runtime.InteropServices;

namespace OgActors.Lab.Journey;

/// <summary><c>og-lab journey [--data DIR] [--keep]</c>: the main job; exit 0 when every computer restored the image intact.</summary>
public static class JourneyCommand
{
    public const string Usage = "usage: og-lab journey [--data DIR] [--keep]";

    public static async Task<int> RunAsync(string[] args)
    {
        string? data = null;
        var keep = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data" when i + 1 < args.Length: data = args[++i]; break;
                case "--keep": keep = true; break;
                case "-h" or "--help": Console.WriteLine(Usage); return 0;
                default: Console.Error.WriteLine($"og-lab: unknown or incomplete option '{args[i]}'. {Usage}"); return 2;
            }
        }
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
        try { report = await new DeployJourney(data, stdout).RunAsync(stop.Token); }
        catch (OperationCanceledException) { Console.SetOut(stdout); Console.Error.WriteLine($"og-lab: journey interrupted; the nodes' log is {log}."); return 130; }
        Console.SetOut(stdout);
        await logWriter.DisposeAsync();

        Console.WriteLine();
        Console.WriteLine($"Image {report.Image} revision {report.Revision}: {(report.InfoLine.Length > 0 ? report.InfoLine : "-")}");
        JourneyReport.PrintTable(Console.Out, report.Rows);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Total {report.TotalSeconds:0.0} s: lab start {report.LabStartSeconds:0.0} s, capture {report.CaptureSeconds:0.0} s, incorporation {report.IncorporationSeconds:0.0} s, deploy {report.DeploySeconds:0.0} s."));
        if (!report.Succeeded) { Console.Error.WriteLine($"og-lab: the journey failed: {report.Failure} (the nodes' log is {log})"); return 1; }
        if (temporary && !keep) { try { Directory.Delete(data, true); } catch (IOException) { } }
        Console.WriteLine("journey: every computer restored the image intact.");
        return 0;
    }
}
