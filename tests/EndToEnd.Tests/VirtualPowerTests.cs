using System.Diagnostics;
using System.Text.Json;

namespace OgActors.EndToEnd.Tests;

/// <summary>
/// Pulling a computer's plug in the middle of a deploy on the virtual classroom (issue 11's acceptance): the real
/// og-lab power off (SIGKILL to everything in the computer's namespace) while it downloads; the coordinator marks it
/// offline within 10 s, its job ends with the offline reason after the session's offline limit (--offline-timeout),
/// and the other computer finishes its deploy with a clean disk.
/// </summary>
[Collection("virtual-lab")]
public sealed class VirtualPowerTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("og-e2e-vpower-").FullName;
    private readonly string _lab = RealProcess.Binary("OgActors.Lab", "og-lab");

    [Fact]
    public async Task A_computer_powered_off_mid_deploy_goes_offline_within_10_s_and_fails_with_that_reason_while_the_other_finishes()
    {
        var driver = new LabDriver(_data);
        // 40 Mbit/s per computer: a ~40 MiB image takes several seconds to pull, long enough to pull the plug in the middle.
        var lab = RealProcess.Start(_lab, ["lab", "--virtual", "--computers", "3", "--link-mbit", "40", "--repo-link-mbit", "100", "--data", _data]);
        string? prefix = null;
        try
        {
            var manifest = await driver.ManifestAsync(lab);
            prefix = manifest.GetProperty("network").GetProperty("prefix").GetString();
            var images = manifest.GetProperty("imagesDir").GetString()!;

            var (_, stream) = await LabDriver.PartcloneStreamAsync(Path.Combine(_data, "made"), contentMiB: 40, partitionMiB: 96);
            var image = Path.Combine(_data, "made", "big.img");
            await LabDriver.CompressAsync("lzop", stream, image);
            LabDriver.ArriveByRename(image, images, "big.img");
            await driver.UntilImagesAsync("repo1", i => i.TryGetValue("big", out var b) && b.GetProperty("state").GetString() == "Ready");

            await driver.DefineClassroomAsync(manifest, "aula1", virtualLab: true);
            (await driver.CtlAsync("image", "define", "--canonical", "big", "--name", "Big", "--profile", "random content", "--partition", "1",
                "--type", "EXT4", "--repo", "repo1", "--comments", "power test")).Exit.Should().Be(0);

            var started = await driver.JsonAsync("deploy", "--scope", "pc02,pc03", "--mode", "deployImage", "--image", "big", "--protocol", "unicast",
                "--offline-timeout", "5s");
            var id = started.GetProperty("id").GetString()!;

            // Mid-deploy: pc03 is downloading (bytes have arrived, not all of them).
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                var job = LabDriver.Job(await driver.JsonAsync("session", "show", id), "pc03");
                if (job.GetProperty("status").GetString() == "Running" && job.GetProperty("bytes").GetInt64() > 0) break;
                job.GetProperty("status").GetString().Should().BeOneOf(["Queued", "Running"], "pc03 has not finished before its plug is pulled");
                DateTime.UtcNow.Should().BeBefore(deadline, $"pc03 starts downloading; it shows {job}");
                await Task.Delay(200);
            }

            var off = await driver.LabAsync("power", "off", "pc03", "--data", _data);
            off.Exit.Should().Be(0, off.Err);
            var watch = Stopwatch.StartNew();
            while (await OnlineAsync(driver, "pc03") && watch.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(250);
            watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "a computer whose plug is pulled is offline within 10 s");

            var session = await driver.SessionEndAsync(id, TimeSpan.FromMinutes(3));
            var pc02 = LabDriver.Job(session, "pc02");
            pc02.GetProperty("status").GetString().Should().Be("Succeeded", $"the computer that stayed on finishes: {pc02}");
            var pc03 = LabDriver.Job(session, "pc03");
            pc03.GetProperty("status").GetString().Should().Be("Failed", $"the powered-off computer's job ends: {pc03}");
            pc03.GetProperty("error").GetString().Should().Contain("pc03 was offline for 5 s").And.Contain("offline during the job");
            session.GetProperty("outcome").GetString().Should().NotBe("Succeeded");

            var fsck = Process.Start(new ProcessStartInfo("e2fsck", ["-fn", Path.Combine(_data, "computers", "pc02", "partitions", "part1.img")])
                { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var fsckOut = await fsck.StandardOutput.ReadToEndAsync() + await fsck.StandardError.ReadToEndAsync();
            await fsck.WaitForExitAsync();
            fsck.ExitCode.Should().Be(0, $"pc02's restored partition is a clean ext4: {fsckOut}");
        }
        finally
        {
            if (!lab.HasExited) (await lab.StopAsync(TimeSpan.FromSeconds(90))).Should().Be(0, lab.Output);
            await lab.DisposeAsync();
        }
        prefix.Should().NotBeNull();
        var left = Process.Start(new ProcessStartInfo("ip", "netns list") { RedirectStandardOutput = true })!;
        (await left.StandardOutput.ReadToEndAsync()).Should().NotContain(prefix!, "the stopped lab removed its namespaces");
    }

    private static async Task<bool> OnlineAsync(LabDriver driver, string computer) =>
        (await driver.JsonAsync("computer", "list")).EnumerateArray()
            .Any(c => c.GetProperty("name").GetString() == computer && c.GetProperty("online").GetBoolean());

    public void Dispose()
    {
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }
}
