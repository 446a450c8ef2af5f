using System.Runtime.InteropServices;
using OgActors.Hosting.Configuration;
using OgActors.Lab;

// og-lab lab [--data DIR] [--computers N]: the all-in-one lab in the foreground; Ctrl-C stops it cleanly.
const string usage = "usage: og-lab lab [--data DIR] [--computers N] | og-lab journey [--data DIR] [--keep]";
if (args.Length == 0 || args[0] is "-h" or "--help") { Console.WriteLine(usage); return args.Length == 0 ? 2 : 0; }
if (args[0] == "journey") return await OgActors.Lab.Journey.JourneyCommand.RunAsync(args);
if (args[0] != "lab") { Console.Error.WriteLine($"og-lab: unknown command '{args[0]}'. {usage}"); return 2; }

string? data = null;
var computers = 3;
for (var i = 1; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new SettingsException($"The option {args[i]} needs a value.");
    try
    {
        switch (args[i])
        {
            case "--data": data = Value(); break;
            case "--computers":
                var text = Value();
                if (!int.TryParse(text, out computers) || computers is < 0 or > 200)
                    throw new SettingsException($"--computers must be a number from 0 to 200, got '{text}'.");
                break;
            case "-h" or "--help": Console.WriteLine(usage); return 0;
            default: throw new SettingsException($"Unknown option '{args[i]}'. {usage}");
        }
    }
    catch (SettingsException e) { Console.Error.WriteLine($"og-lab: {e.Message}"); return 2; }
}

data ??= LabDirectory.Default();
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

AllInOneLab lab;
try
{
    Console.WriteLine($"og-lab: starting a coordinator, a repository and {computers} computer(s) in {Path.GetFullPath(data)}");
    lab = await AllInOneLab.StartAsync(new LabOptions { DataDir = data, Computers = computers }, stop.Token);
}
catch (OperationCanceledException) { Console.Error.WriteLine("og-lab: interrupted while starting."); return 130; }
catch (Exception e) when (e is SettingsException or TimeoutException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"og-lab: {e.Message}");
    return 1;
}

var m = lab.Manifest;
Console.WriteLine($"og-lab: ready. API {m.ApiUrl} (token in {Path.Combine(lab.DataDir, LabManifest.FileName)}), images in {m.ImagesDir}");
foreach (var c in m.Computers)
    Console.WriteLine($"og-lab:   {c.Name} {c.Address}  partitions {string.Join(", ", c.Partitions.Select(p => p.File))}  cache {c.CacheDir}");
Console.WriteLine("og-lab: press Ctrl-C to stop.");

try { await Task.Delay(Timeout.Infinite, stop.Token); } catch (OperationCanceledException) { }
Console.WriteLine("og-lab: stopping (computers unregister, members leave the cluster)...");
await lab.StopAsync();
Console.WriteLine("og-lab: stopped.");
return 0;
