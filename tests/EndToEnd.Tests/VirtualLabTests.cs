using System.Diagnostics;
using System.Text.Json;

namespace OgActors.EndToEnd.Tests;

/// <summary>
/// The virtual classroom with the real processes: og-lab builds network namespaces (root, iproute2), runs og-coordinator,
/// og-repository and one og-client per computer in them, shapes every link with tbf; ogctl reaches it through 127.0.0.1.
/// </summary>
[Collection("virtual-lab")]
public sealed class VirtualLabTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("og-e2e-vlab-").FullName;
    private readonly string _lab = RealProcess.Binary("OgActors.Lab", "og-lab");
    private readonly string _ogctl = RealProcess.Binary("OgActors.Ctl", "ogctl");

    [Fact]
    public async Task Journey_on_three_virtual_computers_deploys_by_unicast_within_each_link_and_leaves_nothing_behind()
    {
        const int linkMbit = 100;
        var (exit, stdout, stderr) = await RealProcess.RunAsync(_lab,
            ["journey", "--virtual", "--computers", "3", "--link-mbit", $"{linkMbit}", "--repo-link-mbit", "400", "--image-mib", "24", "--data", _data, "--keep"],
            timeout: TimeSpan.FromMinutes(5));
        exit.Should().Be(0, $"the virtual journey succeeds; output:\n{stdout}\n{stderr}");
        stdout.Should().Contain("Physical limit").And.Contain("ratio");

        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_data, "journey.json"))).RootElement;
        report.GetProperty("succeeded").GetBoolean().Should().BeTrue();
        var limit = report.GetProperty("limit");
        limit.GetProperty("computers").GetInt32().Should().Be(2);
        var imageBytes = limit.GetProperty("imageBytes").GetInt64();
        imageBytes.Should().BeGreaterThan(20L * 1024 * 1024, "the bulk is incompressible");
        limit.GetProperty("limitSeconds").GetDouble().Should().BeApproximately(imageBytes * 8.0 / (linkMbit * 1e6), 0.01,
            "two computers at 100 Mbit/s behind a 400 Mbit/s repository link are bound by their own links");

        // The network phase is the session's own clock, and the report says when each job started and ended in it.
        var timeline = limit.GetProperty("timeline").EnumerateArray().ToList();
        timeline.Select(t => t.GetProperty("computer").GetString()).Should().BeEquivalentTo(["pc02", "pc03"]);
        foreach (var t in timeline)
        {
            t.GetProperty("startedSeconds").GetDouble().Should().BeGreaterThanOrEqualTo(0);
            t.GetProperty("finishedSeconds").GetDouble().Should().BeGreaterThan(t.GetProperty("startedSeconds").GetDouble())
                .And.BeLessThanOrEqualTo(limit.GetProperty("seconds").GetDouble() + 0.001, "no job ends after its session");
        }
        stdout.Should().Contain("network phase timeline");

        // Shaping is real: no computer pulled the image faster than its 100 Mbit/s link allows (loopback would be ~10x).
        var pulls = report.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("reason").GetString() == "updateCache").ToList();
        pulls.Should().HaveCount(2);
        foreach (var pull in pulls)
        {
            var bits = pull.GetProperty("bytes").GetInt64() * 8.0;
            var seconds = pull.GetProperty("seconds").GetDouble();
            pull.GetProperty("bytes").GetInt64().Should().Be(imageBytes);
            (bits / seconds).Should().BeLessThanOrEqualTo(linkMbit * 1e6 * 1.1, $"{pull.GetProperty("computer")} is behind a {linkMbit} Mbit/s link");
        }

        // The disks, checked here too: every target's partition 1 is a clean ext4 with the model's files.
        foreach (var pc in new[] { "pc02", "pc03" })
        {
            var fsck = await Tool("e2fsck", "-fn", Path.Combine(_data, "computers", pc, "partitions", "part1.img"));
            fsck.Exit.Should().Be(0, fsck.Output);
        }

        NothingLeftBehind(new OgActors.Lab.Virtual.ClassroomNetwork(_data).Prefix);
    }

    [Fact]
    public async Task Virtual_lab_refuses_a_second_lab_powers_off_and_cleans_up_after_a_kill_and_a_stop()
    {
        var env = new Dictionary<string, string> { ["OG_LAB"] = _data, ["OG_API"] = "", ["OG_TOKEN"] = "" };
        var first = RealProcess.Start(_lab, ["lab", "--virtual", "--computers", "2", "--link-mbit", "1000", "--data", _data]);
        JsonElement manifest;
        try
        {
            manifest = await ManifestAsync(first);
            var computers = manifest.GetProperty("computers").EnumerateArray().ToList();
            computers.Should().HaveCount(2);
            var network = manifest.GetProperty("network");
            network.GetProperty("network").GetString().Should().Be("172.17.36.0/24");
            network.GetProperty("links").EnumerateArray().Should().OnlyContain(l => l.GetProperty("rateMbit").GetInt32() == 1000);

            // The computers report their real addresses: each one's IP and the MAC of its veth, as lab.json has them.
            var list = await RealProcess.RunAsync(_ogctl, ["computer", "list", "--json"], env);
            list.Exit.Should().Be(0, list.Err);
            var reported = JsonDocument.Parse(list.Out).RootElement.EnumerateArray().ToList();
            foreach (var c in computers)
            {
                var mac = (await Tool("ip", "-n", c.GetProperty("namespace").GetString()!, "link", "show", "eth0")).Output;
                var r = reported.Single(x => x.GetProperty("name").GetString() == c.GetProperty("name").GetString());
                r.GetProperty("ip").GetString().Should().Be(c.GetProperty("ip").GetString()).And.StartWith("172.17.36.");
                mac.Should().Contain(r.GetProperty("mac").GetString()!);
                r.GetProperty("mac").GetString().Should().Be(c.GetProperty("mac").GetString());
            }

            // A second lab on the same data directory is refused with one sentence, and the first keeps running.
            var second = await RealProcess.RunAsync(_lab, ["lab", "--virtual", "--computers", "1", "--data", _data], timeout: TimeSpan.FromSeconds(60));
            second.Exit.Should().NotBe(0);
            second.Err.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("Another lab is already running");
            first.HasExited.Should().BeFalse();
            File.Exists(Path.Combine(_data, "lab.json")).Should().BeTrue("the refused lab must not touch the running one's manifest");

            // Power off pc02: its processes die and the coordinator marks it offline within 10 s.
            var off = await RealProcess.RunAsync(_lab, ["power", "off", "pc02", "--data", _data]);
            off.Exit.Should().Be(0, off.Err);
            var watch = Stopwatch.StartNew();
            while (await IsOnlineAsync("pc02", env) && watch.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(250);
            watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "a computer whose plug is pulled is offline within 10 s");
            var on = await RealProcess.RunAsync(_lab, ["power", "on", "pc02", "--data", _data]);
            on.Exit.Should().Be(0, on.Err);
            watch.Restart();
            while (!await IsOnlineAsync("pc02", env) && watch.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(250);
            (await IsOnlineAsync("pc02", env)).Should().BeTrue("powered on again, pc02 registers by itself");

            // SIGKILL of the lab: its namespaces and node processes are left behind...
            Process.GetProcessById(first.Id).Kill();
            await Task.Delay(500);
        }
        finally { await first.DisposeAsync(); }
        var prefix = manifest.GetProperty("network").GetProperty("prefix").GetString()!;
        var oldPids = AllPids(manifest);
        Namespaces(prefix).Should().NotBeEmpty("a killed lab cannot clean up after itself");

        // ...and a new start on the same data dir removes them before building its own.
        await using (var again = RealProcess.Start(_lab, ["lab", "--virtual", "--computers", "1", "--data", _data]))
        {
            var fresh = await ManifestAsync(again); // the crashed run's lab.json is replaced only once the new lab is ready
            Namespaces(prefix).Should().BeEquivalentTo([prefix + "br", prefix + "srv", prefix + "pc01"], "the crashed run's pc02 is gone");
            oldPids.Where(IsAlive).Should().BeEmpty("the crashed run's processes were killed");
            fresh.GetProperty("pid").GetInt32().Should().Be(again.Id);
            (await again.StopAsync(TimeSpan.FromSeconds(60))).Should().Be(0, again.Output);
        }
        NothingLeftBehind(prefix);
        File.Exists(Path.Combine(_data, "lab.json")).Should().BeFalse("a clean stop removes lab.json");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private async Task<JsonElement> ManifestAsync(RealProcess lab)
    {
        var path = Path.Combine(_data, "lab.json");
        var deadline = DateTime.UtcNow.AddSeconds(150);
        while (!File.Exists(path) || JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("pid").GetInt32() != lab.Id)
        {
            lab.HasExited.Should().BeFalse($"the lab keeps running; output:\n{lab.Output}");
            DateTime.UtcNow.Should().BeBefore(deadline, $"the lab gets ready; output:\n{lab.Output}");
            await Task.Delay(250);
        }
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    }

    private async Task<bool> IsOnlineAsync(string computer, IDictionary<string, string> env)
    {
        var r = await RealProcess.RunAsync(_ogctl, ["computer", "list", "--json"], env);
        return r.Exit == 0 && JsonDocument.Parse(r.Out).RootElement.EnumerateArray()
            .Any(c => c.GetProperty("name").GetString() == computer && c.GetProperty("online").GetBoolean());
    }

    private static List<int> AllPids(JsonElement manifest)
    {
        var network = manifest.GetProperty("network");
        return [.. manifest.GetProperty("computers").EnumerateArray().Select(c => c.GetProperty("pid").GetInt32()),
            network.GetProperty("coordinatorPid").GetInt32(), network.GetProperty("repositoryPid").GetInt32()];
    }

    private static bool IsAlive(int pid)
    {
        try { return !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z'); }
        catch (IOException) { return false; }
    }

    private static List<string> Namespaces(string prefix)
    {
        var list = Process.Start(new ProcessStartInfo("ip", "netns list") { RedirectStandardOutput = true })!;
        var names = list.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]);
        list.WaitForExit();
        return [.. names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal))];
    }

    /// <summary>No namespace of this data dir's lab (and so none of its veths), no node process running on its files.</summary>
    private void NothingLeftBehind(string prefix)
    {
        Namespaces(prefix).Should().BeEmpty("a stopped lab removes every namespace (and veth) it made");
        var leftovers = Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(p => int.TryParse(p, out _))
            .Select(p => { try { return File.ReadAllText($"/proc/{p}/cmdline").Replace('\0', ' '); } catch (IOException) { return ""; } })
            .Where(cmd => cmd.Contains(_data) && !cmd.Contains("journey") && !cmd.Contains(" lab ")).ToList();
        leftovers.Should().BeEmpty("no node process of the lab survives its stop");
        File.Exists(Path.Combine(_data, "lab.json")).Should().BeFalse();
    }

    private static async Task<(int Exit, string Output)> Tool(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, output);
    }

    public void Dispose()
    {
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }
}
