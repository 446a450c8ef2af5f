using System.Runtime.InteropServices;
using OgActors.Hosting.Configuration;
using OgActors.Lab;
using OgActors.Lab.Virtual;

// og-lab lab [--data DIR] [--computers N] [--coordinators C --journal postgresql] [--virtual [--link-mbit M] [--repo-link-mbit R] [--api-port P]]:
// a lab in the foreground; Ctrl-C / SIGTERM stops it cleanly.
const string usage = "usage: og-lab lab [--data DIR] [--computers N] [--coordinators C] [--journal sqlite|postgresql [--journal-connection CS]]"
    + " [--virtual [--link-mbit M] [--repo-link-mbit R] [--api-port P]]"
    + " | og-lab journey [--data DIR] [--keep] [--virtual ...] | og-lab power off|on COMPUTER [--data DIR]";
if (args.Length == 0 || args[0] is "-h" or "--help") { Console.WriteLine(usage); return args.Length == 0 ? 2 : 0; }
if (args[0] == "journey") return await OgActors.Lab.Journey.JourneyCommand.RunAsync(args);
if (args[0] == "power") return PowerCommand.Run(args);
if (args[0] != "lab") { Console.Error.WriteLine($"og-lab: unknown command '{args[0]}'. {usage}"); return 2; }

string? data = null;
var computers = 3;
var isVirtual = false;
int linkMbit = 1000, repoLinkMbit = 1000, apiPort = 0;
var coordinators = 1;
var journal = "sqlite";
var journalConnection = Environment.GetEnvironmentVariable("OG_JOURNAL_CONNECTION") ?? "";
for (var i = 1; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new SettingsException($"The option {args[i]} needs a value.");
    int Number(int min, int max)
    {
        var name = args[i];
        var text = Value();
        return int.TryParse(text, out var n) && n >= min && n <= max ? n : throw new SettingsException($"{name} must be a number from {min} to {max}, got '{text}'.");
    }
    try
    {
        switch (args[i])
        {
            case "--data": data = Value(); break;
            case "--computers": computers = Number(0, 200); break;
            case "--virtual": isVirtual = true; break;
            case "--coordinators": coordinators = Number(1, 9); break;
            case "--journal":
                journal = Value() switch
                {
                    "sqlite" => "sqlite",
                    "postgresql" or "postgres" => "postgresql",
                    var other => throw new SettingsException($"--journal must be sqlite or postgresql, got '{other}'."),
                };
                break;
            case "--journal-connection": journalConnection = Value(); break;
            case "--link-mbit": linkMbit = Number(1, 100_000); break;
            case "--repo-link-mbit": repoLinkMbit = Number(1, 100_000); break;
            case "--api-port": apiPort = Number(0, 65535); break;
            case "-h" or "--help": Console.WriteLine(usage); return 0;
            default: throw new SettingsException($"Unknown option '{args[i]}'. {usage}");
        }
    }
    catch (SettingsException e) { Console.Error.WriteLine($"og-lab: {e.Message}"); return 2; }
}

data ??= LabDirectory.Default();
string coordinatorHocon;
try
{
    if (isVirtual && (coordinators > 1 || journal != "sqlite"))
        throw new SettingsException("--coordinators and --journal are for the loopback lab, not --virtual.");
    coordinatorHocon = journal == "sqlite"
        ? (coordinators > 1 ? throw new SettingsException("Several coordinators share one journal: add --journal postgresql.") : "")
        : await LabJournal.PostgreSqlHoconAsync(journalConnection, data);
}
catch (SettingsException e) { Console.Error.WriteLine($"og-lab: {e.Message}"); return 2; }
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

IRunningLab lab;
try
{
    if (isVirtual)
    {
        Console.WriteLine($"og-lab: starting a virtual classroom of {computers} computer(s) ({linkMbit} Mbit/s each, repository link {repoLinkMbit} Mbit/s) in {Path.GetFullPath(data)}");
        lab = await VirtualLab.StartAsync(new VirtualLabOptions
        {
            DataDir = data, Computers = computers, LinkMbit = linkMbit, RepositoryLinkMbit = repoLinkMbit, ApiPort = apiPort,
        }, Console.Out, stop.Token);
    }
    else
    {
        Console.WriteLine($"og-lab: starting {(coordinators == 1 ? "a coordinator" : $"{coordinators} coordinators")}, a repository and {computers} computer(s) in {Path.GetFullPath(data)}");
        var allInOne = await AllInOneLab.StartAsync(new LabOptions
        {
            DataDir = data, Computers = computers, Coordinators = coordinators, CoordinatorHocon = coordinatorHocon,
        }, stop.Token);
        foreach (var c in allInOne.Coordinators)
            Console.WriteLine($"og-lab:   coordinator {c.Cluster.SelfAddress} API {c.ApiUrl} journal {c.Journal.Describe()}");
        lab = allInOne;
    }
}
catch (OperationCanceledException) { Console.Error.WriteLine("og-lab: interrupted while starting."); return 130; }
catch (Exception e) when (e is SettingsException or TimeoutException or IOException or UnauthorizedAccessException or VirtualLabException
                           or Npgsql.NpgsqlException)
{
    Console.Error.WriteLine($"og-lab: {e.Message}");
    return 1;
}

var m = lab.Manifest;
Console.WriteLine($"og-lab: ready. API {m.ApiUrl} (token in {Path.Combine(Path.GetFullPath(data), LabManifest.FileName)}), images in {m.ImagesDir}");
foreach (var c in m.Computers)
    Console.WriteLine($"og-lab:   {c.Name} {c.Ip} {c.Mac} {(c.Namespace is null ? c.Address : $"netns {c.Namespace} pid {c.Pid}")}  partitions {string.Join(", ", c.Partitions.Select(p => p.File))}  cache {c.CacheDir}");
Console.WriteLine("og-lab: press Ctrl-C to stop.");

try { await Task.Delay(Timeout.Infinite, stop.Token); } catch (OperationCanceledException) { }
Console.WriteLine("og-lab: stopping (computers unregister, members leave the cluster)...");
await lab.StopAsync();
Console.WriteLine("og-lab: stopped.");
return 0;
