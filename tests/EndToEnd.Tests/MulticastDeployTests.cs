using System.Diagnostics;
using System.Text.Json;
using OgActors.Imaging.Pipelines;
using OgActors.Lab;
using OgActors.Lab.Journey;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Images;
using OgActors.Messages.Multicast;
using OgActors.Messages.Sessions;

namespace OgActors.EndToEnd.Tests;

/// <summary>
/// Multicast on the virtual classroom with the real processes: og-lab's namespaces, one og-client per computer, the real
/// udp-sender on the repository and udp-receiver on each computer. The image is made here by the real tools and dropped
/// into the repository's images directory; an operator deploys it by multicast over the coordinator's API.
/// </summary>
[Collection("virtual-lab")]
public sealed class MulticastDeployTests : IDisposable
{
    private const string Image = "mcimage";
    private const long MiB = 1024 * 1024;
    private readonly string _data = Directory.CreateTempSubdirectory("og-e2e-mcast-").FullName;
    private readonly string _lab = RealProcess.Binary("OgActors.Lab", "og-lab");
    private readonly string _ogctl = RealProcess.Binary("OgActors.Ctl", "ogctl");

    [Fact]
    public async Task DeployImage_by_multicast_reaches_every_computer_that_fits_through_one_sender_by_cache_and_direct_paths()
    {
        // The acceptance classroom of 6: pc01-pc03, pc05, pc06 have a 320 MiB partition 1; pc04 keeps the lab's
        // 256 MiB, smaller than the image's 300 MiB filesystem.
        foreach (var pc in new[] { "pc01", "pc02", "pc03", "pc05", "pc06" }) Sparse(Path.Combine(_data, "computers", pc, "partitions", "part1.img"), 320 * MiB);
        // pc03's cache is nearly full (a 1000 MiB file of its own in a 1 GiB cache): it restores straight from the stream.
        Sparse(Path.Combine(_data, "computers", "pc03", "cache", "other-data.bin"), 1000 * MiB);
        // 50 MB of files: each computer's 320 KiB head check and udpcast's frame headers stay a small part of the link's bytes.
        var (model, files) = await ModelAsync(fileCount: 10);

        await using var lab = RealProcess.Start(_lab, ["lab", "--virtual", "--computers", "6", "--link-mbit", "200", "--data", _data]);
        try
        {
            await DeployAndWaitForAllButOneAsync(lab, model, files);
        }
        finally
        {
            if (!lab.HasExited) await lab.StopAsync(TimeSpan.FromSeconds(90)); // a clean stop removes the namespaces
        }
    }

    private async Task DeployAndWaitForAllButOneAsync(RealProcess lab, string model, IReadOnlyDictionary<string, string> files)
    {
        var manifest = await VirtualLabProbe.ManifestAsync(lab, _data);
        using var api = new OperatorApi(manifest.ApiUrl, manifest.ApiToken);
        var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(6)).Token;

        var image = await DefineAsync(api, manifest, model, cancel);
        var imageBytes = new FileInfo(model).Length;
        var server = manifest.Network!.ServerNamespace;
        var sentBefore = TxBytes(server);

        var id = await api.PostAsync("sessions", new
        {
            kind = "DeployImage", classrooms = new[] { "aula1" }, image = Image, partition = 1, method = "Multicast", maxWaitSeconds = 90,
        }, cancel);
        var session = await api.SessionAsync(id!, cancel);
        while (session.Outcome is null)
        {
            await Task.Delay(500, cancel);
            session = await api.SessionAsync(id!, cancel);
        }
        var sent = TxBytes(server) - sentBefore;
        var jobs = session.Jobs.ToDictionary(j => j.Computer);
        var detail = string.Join("\n", session.Jobs.Select(j => $"{j.Computer} {j.Status} [{j.Path}] {j.Reason} {j.Error}"));

        // pc04 did not join: it failed at once with the size reason, and did not hold the others back.
        jobs["pc04"].Status.Should().Be(JobStatus.Failed, detail);
        jobs["pc04"].Error.Should().Contain("needs", detail).And.Contain("nothing was written");
        foreach (var pc in new[] { "pc01", "pc02", "pc05", "pc06" })
        {
            jobs[pc].Status.Should().Be(JobStatus.Succeeded, detail);
            jobs[pc].Path.Should().Be("multicast → cache → restore", detail);
            jobs[pc].Reason.Should().Contain("Received by multicast on 239.194.17.36:9000; full sum verified", detail);
        }
        jobs["pc03"].Status.Should().Be(JobStatus.Succeeded, detail);
        jobs["pc03"].Path.Should().Be("direct multicast", detail);

        // One sender, one transfer: its section names the group and port, the five members and pc04's decline.
        var transfer = session.Multicast.Should().ContainSingle().Subject;
        transfer.Group.Should().Be("239.194.17.36");
        transfer.Port.Should().Be(9000);
        transfer.Phase.Should().Be(MulticastPhase.Done);
        transfer.Members.Should().Equal("pc01", "pc02", "pc03", "pc05", "pc06");
        transfer.Declined.Should().Equal("pc04");
        transfer.Dropped.Should().BeEmpty();
        transfer.WaitingFor.Should().Be(5, "every computer of the classroom, less the one that declined");
        transfer.StartedAt.Should().NotBeNull();
        // The image crossed the repository's link once (with each computer's head check and the protocols' own bytes), not five
        // times: the repository's eth0 tx_bytes, read inside its namespace before and after the session.
        ((double)sent).Should().BeLessThanOrEqualTo(1.1 * imageBytes, $"one multicast stream of {imageBytes} bytes, not five unicast copies ({sent} bytes sent; sender: {transfer.Note})");

        // Every partition that took the image is a clean ext4 with the model's files, and recorded as holding it.
        var room = await api.GetAsync<ClassroomView>("classrooms/aula1", cancel);
        foreach (var pc in new[] { "pc01", "pc02", "pc03", "pc05", "pc06" })
        {
            var part = Path.Combine(_data, "computers", pc, "partitions", "part1.img");
            (await JourneyVerifier.VerifyAsync(part, files, Path.Combine(_data, "verify"), cancel)).Should().BeNull($"{pc}'s partition holds the model");
            room.Computers.Single(c => c.Name == pc).Partitions.Should().Contain(p => p.Partition == 1 && p.Image == Image && p.Revision == image.Revision);
        }
        File.Exists(Path.Combine(_data, "computers", "pc03", "cache", Image + ".img")).Should().BeFalse("pc03 restored straight from the stream");
        File.Exists(Path.Combine(_data, "computers", "pc01", "cache", Image + ".img")).Should().BeTrue();

        // ogctl session show prints the multicast section.
        var show = await RealProcess.RunAsync(_ogctl, ["session", "show", id!], new Dictionary<string, string> { ["OG_LAB"] = _data, ["OG_API"] = "", ["OG_TOKEN"] = "" });
        show.Exit.Should().Be(0, show.Err);
        show.Out.Should().Contain("239.194.17.36:9000").And.Contain("5/5").And.Contain("pc04");

        // Wait for every computer with one powered off: the transfer starts when the max wait passes, the off one fails offline.
        var off = await RealProcess.RunAsync(_lab, ["power", "off", "pc02", "--data", _data]);
        off.Exit.Should().Be(0, off.Err);
        var second = await api.PostAsync("sessions", new
        {
            kind = "UpdateCache", classrooms = new[] { "aula1" }, image = Image, method = "Multicast", maxWaitSeconds = 15, offlineTimeoutSeconds = 30,
        }, cancel);
        session = await VirtualLabProbe.UntilEndedAsync(api, second!, cancel);
        jobs = session.Jobs.ToDictionary(j => j.Computer);
        detail = string.Join("\n", session.Jobs.Select(j => $"{j.Computer} {j.Status} [{j.Path}] {j.Reason} {j.Error}"));
        foreach (var pc in new[] { "pc01", "pc05", "pc06" }) jobs[pc].Status.Should().Be(JobStatus.Succeeded, "its cached copy is identical: " + detail);
        jobs["pc03"].Status.Should().Be(JobStatus.Failed, "its cache has no room: " + detail);
        jobs["pc04"].Status.Should().Be(JobStatus.Succeeded, detail);
        jobs["pc04"].Path.Should().Be("multicast → cache", detail);
        jobs["pc02"].Status.Should().Be(JobStatus.Failed, detail);
        jobs["pc02"].Error.Should().Contain("offline", detail);
        var waited = session.Multicast.Should().ContainSingle().Subject;
        waited.Members.Should().Equal("pc04");
        waited.Declined.Should().BeEquivalentTo("pc01", "pc03", "pc05", "pc06");
        waited.Note.Should().Contain("The maximum wait of 15 s passed with 1 of 2 computers joined", "pc02 was waited for until the max wait");
        VirtualLabProbe.Md5(Path.Combine(_data, "computers", "pc04", "cache", Image + ".img")).Should().Be(VirtualLabProbe.Md5(model));

        (await lab.StopAsync(TimeSpan.FromSeconds(90))).Should().Be(0, lab.Output);
        VirtualLabProbe.NamespacesOf(manifest.Network.Prefix).Should().BeEmpty("the stopped lab removed its namespaces");
        Process.GetProcessesByName("udp-sender").Concat(Process.GetProcessesByName("udp-receiver"))
            .Where(p => CommandLine(p.Id).Contains(_data) || NamespaceOf(p.Id).StartsWith(manifest.Network.Prefix)).Should().BeEmpty("no udpcast process outlives the lab");
    }

    [Fact]
    public async Task A_frozen_computer_is_dropped_the_others_finish_by_multicast_within_30_s_and_it_catches_up_by_unicast()
    {
        var (model, _) = await ModelAsync();
        // 20 Mbit/s links: the 30 MB stream takes about 12 s, time enough to freeze a computer in the middle of it.
        await using var lab = RealProcess.Start(_lab, ["lab", "--virtual", "--computers", "3", "--link-mbit", "20", "--data", _data]);
        try
        {
            var manifest = await VirtualLabProbe.ManifestAsync(lab, _data);
            using var api = new OperatorApi(manifest.ApiUrl, manifest.ApiToken);
            var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token;
            await DefineAsync(api, manifest, model, cancel);
            var imageBytes = new FileInfo(model).Length;

            var id = await api.PostAsync("sessions", new
            {
                kind = "UpdateCache", classrooms = new[] { "aula1" }, image = Image, method = "Multicast", maxWaitSeconds = 60,
            }, cancel);
            var pc03 = manifest.Computers.Single(c => c.Name == "pc03").Namespace!;
            var session = await api.SessionAsync(id!, cancel);
            (long Bytes, DateTimeOffset At)? first = null;
            while (session.Jobs.Single(j => j.Computer == "pc03").Bytes < 2 * MiB)
            {
                session.Outcome.Should().BeNull("the transfer is still going when pc03 is frozen");
                var pc01Bytes = session.Jobs.Single(j => j.Computer == "pc01").Bytes;
                if (first is null && pc01Bytes > 0) first = (pc01Bytes, DateTimeOffset.UtcNow);
                await Task.Delay(100, cancel);
                session = await api.SessionAsync(id!, cancel);
            }
            // Every process of pc03 (its og-client and its udp-receiver) stops: a computer that froze.
            var frozen = ProcessesIn(pc03);
            ProcessesIn(pc03, "udp-receiver").Should().ContainSingle("pc03 runs one udp-receiver");
            foreach (var pid in frozen) Signal(pid, "STOP");
            var frozenAt = DateTimeOffset.UtcNow;
            var atFreeze = session.Jobs.Single(j => j.Computer == "pc01").Bytes;
            // Without pc03 the others would need about the rest of the stream at the pace they had before the freeze.
            var pace = first is { } f && frozenAt > f.At && atFreeze > f.Bytes ? (atFreeze - f.Bytes) / (frozenAt - f.At).TotalSeconds : 20e6 / 8;
            var withoutIt = TimeSpan.FromSeconds((imageBytes - atFreeze) / pace);
            try
            {
                // The others finish while pc03 stays frozen.
                while (session.Jobs.Where(j => j.Computer != "pc03").Any(j => j.Status is JobStatus.Running or JobStatus.Queued))
                {
                    await Task.Delay(250, cancel);
                    session = await api.SessionAsync(id!, cancel);
                }
            }
            finally
            {
                foreach (var pid in frozen) Signal(pid, "CONT");
            }
            var othersDone = session.Jobs.Where(j => j.Computer != "pc03").Max(j => j.FinishedAt!.Value);
            (othersDone - frozenAt).Should().BeLessThan(withoutIt + TimeSpan.FromSeconds(30),
                $"a frozen computer holds the others back by at most 30 s (they needed {(othersDone - frozenAt).TotalSeconds:0.0} s after the freeze; about {withoutIt.TotalSeconds:0.0} s without it)");
            var thawed = Stopwatch.StartNew();
            while (session.Outcome is null)
            {
                if (thawed.Elapsed > TimeSpan.FromSeconds(120))
                    thawed.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(120), "pc03 is not left hanging once thawed: "
                    + string.Join("; ", session.Jobs.Select(j => $"{j.Computer} {j.Status} [{j.Path}] {j.Reason} {j.Error}")) + " "
                    + string.Join("; ", (session.Multicast ?? []).Select(m => $"{m.Phase} dropped={string.Join(',', m.Dropped)} {m.Note}"))
                    + KeepLogs());
                await Task.Delay(500, cancel);
                session = await api.SessionAsync(id!, cancel);
            }

            var jobs = session.Jobs.ToDictionary(j => j.Computer);
            var detail = string.Join("\n", session.Jobs.Select(j => $"{j.Computer} {j.Status} [{j.Path}] {j.Reason} {j.Error}"));
            foreach (var pc in new[] { "pc01", "pc02" })
            {
                jobs[pc].Status.Should().Be(JobStatus.Succeeded, detail);
                jobs[pc].Path.Should().Be("multicast → cache", detail);
            }
            // Once thawed, pc03 is not left hanging: its job learns it was dropped and catches up by unicast; the coordinator,
            // which quarantined the frozen node, hears the outcome from pc03's next incarnation (the job sent to it again
            // finds the image already in its cache).
            jobs["pc03"].Status.Should().Be(JobStatus.Succeeded, detail);
            session.Multicast.Should().ContainSingle().Which.Dropped.Should().Equal("pc03");
            foreach (var pc in new[] { "pc01", "pc02", "pc03" })
                VirtualLabProbe.Md5(Path.Combine(_data, "computers", pc, "cache", Image + ".img")).Should().Be(VirtualLabProbe.Md5(model));
        }
        finally
        {
            if (!lab.HasExited) await lab.StopAsync(TimeSpan.FromSeconds(90));
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static Task<ImageView> DefineAsync(OperatorApi api, LabManifest manifest, string model, CancellationToken cancel) =>
        VirtualLabProbe.DefineClassroomAndImageAsync(api, manifest, model, Image, "Multicast test", 1, cancel);

    /// <summary>A 300 MiB ext4 with <paramref name="fileCount"/> × 5 MB of incompressible files, captured by partclone | lzop; its files' hashes.</summary>
    private async Task<(string Image, IReadOnlyDictionary<string, string> Files)> ModelAsync(int fileCount = 6)
    {
        var content = Directory.CreateDirectory(Path.Combine(_data, "model-content")).FullName;
        var random = new Random(12);
        for (var i = 0; i < fileCount; i++)
        {
            var bytes = new byte[5_000_000];
            random.NextBytes(bytes);
            await File.WriteAllBytesAsync(Path.Combine(content, $"file{i}.bin"), bytes);
        }
        await File.WriteAllTextAsync(Path.Combine(content, "hostname"), "model\n");
        var partition = Path.Combine(_data, "model.ext4");
        Sparse(partition, 300 * MiB);
        await RunAsync("mkfs.ext4", "-q", "-F", "-d", content, partition);
        var image = Path.Combine(_data, "model.img");
        await CapturePipeline.CaptureToFileAsync(partition, image);
        var files = await JourneyVerifier.ChecksumsAsync(partition, Path.Combine(_data, "verify"), CancellationToken.None);
        return (image, files);
    }

    /// <summary>Copies the lab's logs out of the data directory (which the test removes) for a failure's reader.</summary>
    private string KeepLogs()
    {
        var logs = Path.Combine(_data, "logs");
        if (!Directory.Exists(logs)) return "";
        var kept = Directory.CreateTempSubdirectory("og-e2e-mcast-logs-").FullName;
        foreach (var file in Directory.GetFiles(logs)) File.Copy(file, Path.Combine(kept, Path.GetFileName(file)));
        return $" (logs kept in {kept})";
    }

    private static void Sparse(string path, long bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var f = new FileStream(path, FileMode.Create, FileAccess.Write);
        f.SetLength(bytes);
    }

    private static long TxBytes(string ns)
    {
        var psi = new ProcessStartInfo("ip", $"netns exec {ns} cat /sys/class/net/eth0/statistics/tx_bytes") { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return long.Parse(text.Trim());
    }

    private static IReadOnlyList<int> ProcessesIn(string ns, string? name = null)
    {
        var psi = new ProcessStartInfo("ip", $"netns pids {ns}") { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var pids = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        p.WaitForExit();
        return [.. pids.Where(pid => { try { return name is null || File.ReadAllText($"/proc/{pid}/comm").Trim() == name; } catch (IOException) { return false; } })];
    }

    private static void Signal(int pid, string signal)
    {
        using var p = Process.Start("kill", $"-{signal} {pid}")!;
        p.WaitForExit();
    }

    private static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); } catch (IOException) { return ""; }
    }

    private static string NamespaceOf(int pid)
    {
        var psi = new ProcessStartInfo("ip", $"netns identify {pid}") { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return text.Trim();
    }

    private static async Task RunAsync(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        p.ExitCode.Should().Be(0, err);
    }

    public void Dispose()
    {
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }
}
