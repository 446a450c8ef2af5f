using System.Text.Json;

namespace OgActors.EndToEnd.Tests;

/// <summary>
/// The real hosts end to end: og-lab (coordinator, repository and computers on 127.0.0.1) as its own process,
/// driven by the real ogctl binary over HTTP, then stopped as an operator stops it.
/// </summary>
public sealed class LabProcessTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("og-e2e-lab-").FullName;
    private readonly string _lab = RealProcess.Binary("OgActors.Lab", "og-lab");
    private readonly string _ogctl = RealProcess.Binary("OgActors.Ctl", "ogctl");

    [Fact]
    public async Task Lab_answers_ogctl_and_stops_cleanly()
    {
        await using var lab = RealProcess.Start(_lab, ["lab", "--data", _data, "--computers", "2"]);
        var env = new Dictionary<string, string> { ["OG_LAB"] = _data, ["OG_API"] = "", ["OG_TOKEN"] = "" };

        // Both computers register through ClusterClient and show online.
        JsonElement computers = default;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            lab.HasExited.Should().BeFalse($"the lab must keep running; its output:\n{lab.Output}");
            if (File.Exists(Path.Combine(_data, "lab.json")))
            {
                var (exit, stdout, _) = await RealProcess.RunAsync(_ogctl, ["computer", "list", "--json"], env);
                if (exit == 0)
                {
                    computers = JsonDocument.Parse(stdout).RootElement;
                    if (CountOnline(computers) == 2) break;
                }
            }
            await Task.Delay(500);
        }
        CountOnline(computers).Should().Be(2, $"both lab computers register; lab output:\n{lab.Output}");

        var cluster = await RealProcess.RunAsync(_ogctl, ["cluster", "show", "--json"], env);
        cluster.Exit.Should().Be(0, cluster.Err);
        cluster.Out.Should().Contain("coordinator").And.Contain("repository");

        var table = await RealProcess.RunAsync(_ogctl, ["computer", "list"], env);
        table.Exit.Should().Be(0);
        table.Out.Should().Contain("pc01").And.Contain("pc02");

        var refused = await RealProcess.RunAsync(_ogctl, ["--token", "not-the-token", "computer", "list"], env);
        refused.Exit.Should().NotBe(0);
        refused.Err.Trim().Split('\n').Should().ContainSingle("a refusal is one sentence");
        refused.Err.Should().NotContain("   at ", "no stack trace for users");

        // Anyone who reaches the repository's HTTP port: `curl -T x.img` without the job's capability is refused, nothing written.
        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_data, "lab.json"))).RootElement.GetProperty("repository");
        var images = manifest.GetProperty("imagesDir").GetString()!;
        var upload = Path.Combine(_data, "x.img");
        await File.WriteAllBytesAsync(upload, new byte[300_000]);
        var before = Directory.GetFiles(images, "*", SearchOption.AllDirectories);
        var curl = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("curl",
            ["-sS", "-w", "\n%{http_code}", "-T", upload, manifest.GetProperty("httpUrl").GetString()!.TrimEnd('/') + "/images/x.img"])
            { RedirectStandardOutput = true })!;
        var answer = (await curl.StandardOutput.ReadToEndAsync()).Trim().Split('\n');
        await curl.WaitForExitAsync();
        answer[^1].Should().Be("401", string.Join("\n", answer));
        answer[0].Should().Contain("needs the capability the coordinator issued").And.NotContain(images);
        Directory.GetFiles(images, "*", SearchOption.AllDirectories).Should().BeEquivalentTo(before, "a refused upload writes nothing");

        // A second lab on the same data dir is refused with one sentence (DIR/lab.lock), and leaves the first one's lab.json.
        var second = await RealProcess.RunAsync(_lab, ["lab", "--data", _data, "--computers", "1"]);
        second.Exit.Should().NotBe(0);
        second.Err.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("Another lab is already running");
        File.Exists(Path.Combine(_data, "lab.json")).Should().BeTrue();

        (await lab.StopAsync(TimeSpan.FromSeconds(60))).Should().Be(0, $"Ctrl-C/SIGTERM stops the lab cleanly; output:\n{lab.Output}");
        File.Exists(Path.Combine(_data, "lab.json")).Should().BeFalse("a clean stop removes lab.json");
    }

    private static int CountOnline(JsonElement computers)
    {
        if (computers.ValueKind == JsonValueKind.Undefined) return 0;
        var list = computers.ValueKind == JsonValueKind.Array ? computers : computers.GetProperty("computers");
        return list.EnumerateArray().Count(c => c.TryGetProperty("online", out var o) && o.ValueKind == JsonValueKind.True);
    }

    public void Dispose()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
