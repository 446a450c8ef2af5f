using System.Diagnostics;
using System.Text.Json;
using OgActors.Imaging.Pipelines;
using OgActors.Lab;
using OgActors.Lab.Journey;
using OgActors.Messages.Images;
using OgActors.Messages.Multicast;
using OgActors.Messages.Sessions;

namespace OgActors.EndToEnd.Tests;

/// <summary>
/// Multicast acceptance on the virtual classroom with the real processes (og-lab's namespaces, og-client per computer,
/// the real udp-sender and udp-receiver): two classrooms multicasting at once on their own ports and groups, and a
/// computer that joins after the sender started finishing by unicast catch-up. The image is made here by the real tools.
/// </summary>
[Collection("virtual-lab")]
public sealed class MulticastClassroomTests : IDisposable
{
    private const string Image = "mcimage";
    private const long MiB = 1024 * 1024;
    private readonly string _data = Directory.CreateTempSubdirectory("og-e2e-mcroom-").FullName;
    private readonly string _lab = RealProcess.Binary("OgActors.Lab", "og-lab");

    [Fact]
    public async Task Two_classrooms_multicast_at_once_on_their_own_ports_and_groups_and_both_succeed()
    {
        var model = await ModelAsync();
        // 50 Mbit/s links, the repository's shared by both streams: each 30 MB transfer lasts seconds, so they overlap.
        await using var lab = RealProcess.Start(_lab, ["lab", "--virtual", "--computers", "4", "--link-mbit", "50", "--data", _data]);
        try
        {
            var manifest = await VirtualLabProbe.ManifestAsync(lab, _data);
            using var api = new OperatorApi(manifest.ApiUrl, manifest.ApiToken);
            var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token;
            await DefineAsync(api, manifest, model, new() { ["aula1"] = ["pc01", "pc02"], ["aula2"] = ["pc03", "pc04"] }, cancel);

            // Two sessions at once: aula1 on its defaults (239.194.17.36:9000), aula2 on a port and group of its own.
            var first = await api.PostAsync("sessions", new
            {
                kind = "UpdateCache", classrooms = new[] { "aula1" }, image = Image, method = "Multicast", maxWaitSeconds = 60,
            }, cancel);
            var second = await api.PostAsync("sessions", new
            {
                kind = "UpdateCache", classrooms = new[] { "aula2" }, image = Image, method = "Multicast", maxWaitSeconds = 60,
                port = 9010, groupAddress = "239.194.17.99",
            }, cancel);
            var one = await UntilDoneAsync(api, first!, cancel);
            var two = await UntilDoneAsync(api, second!, cancel);

            var detail = string.Join("\n", one.Jobs.Concat(two.Jobs).Select(j => $"{j.Computer} {j.Status} [{j.Path}] {j.Reason} {j.Error}"));
            one.Outcome.Should().Be(SessionOutcome.Succeeded, detail);
            two.Outcome.Should().Be(SessionOutcome.Succeeded, detail);
            foreach (var job in one.Jobs.Concat(two.Jobs))
            {
                job.Status.Should().Be(JobStatus.Succeeded, detail);
                job.Path.Should().Be("multicast → cache", detail);
            }
            var a = one.Multicast.Should().ContainSingle().Subject;
            var b = two.Multicast.Should().ContainSingle().Subject;
            (a.Classroom, a.Group, a.Port, a.Phase).Should().Be(("aula1", "239.194.17.36", 9000, MulticastPhase.Done));
            (b.Classroom, b.Group, b.Port, b.Phase).Should().Be(("aula2", "239.194.17.99", 9010, MulticastPhase.Done));
            a.Members.Should().Equal("pc01", "pc02");
            b.Members.Should().Equal("pc03", "pc04");
            a.Dropped.Should().BeEmpty();
            b.Dropped.Should().BeEmpty();
            one.Jobs.Single(j => j.Computer == "pc01").Reason.Should().Contain("239.194.17.36:9000", detail);
            two.Jobs.Single(j => j.Computer == "pc03").Reason.Should().Contain("239.194.17.99:9010", detail);
            // At once: each sender started before the other ended.
            a.StartedAt.Should().NotBeNull();
            b.StartedAt.Should().NotBeNull();
            a.StartedAt!.Value.Should().BeBefore(b.EndedAt!.Value, $"the two transfers overlap: {a.StartedAt}–{a.EndedAt} and {b.StartedAt}–{b.EndedAt}");
            b.StartedAt!.Value.Should().BeBefore(a.EndedAt!.Value, $"the two transfers overlap: {a.StartedAt}–{a.EndedAt} and {b.StartedAt}–{b.EndedAt}");
            foreach (var pc in new[] { "pc01", "pc02", "pc03", "pc04" })
                VirtualLabProbe.Md5(Path.Combine(_data, "computers", pc, "cache", Image + ".img")).Should().Be(VirtualLabProbe.Md5(model), $"{pc}'s cache holds the image");

            (await lab.StopAsync(TimeSpan.FromSeconds(90))).Should().Be(0, lab.Output);
            VirtualLabProbe.NamespacesOf(manifest.Network!.Prefix).Should().BeEmpty("the stopped lab removed its namespaces");
        }
        finally
        {
            if (!lab.HasExited) await lab.StopAsync(TimeSpan.FromSeconds(90));
        }
    }

    [Fact]
    public async Task A_computer_that_joins_after_the_sender_started_finishes_by_unicast_catch_up_and_its_path_says_so()
    {
        var model = await ModelAsync();
        // 10 Mbit/s links: the 30 MB stream takes about 25 s, time enough to power pc03 on once the sender has started.
        await using var lab = RealProcess.Start(_lab, ["lab", "--virtual", "--computers", "3", "--link-mbit", "10", "--data", _data]);
        try
        {
            var manifest = await VirtualLabProbe.ManifestAsync(lab, _data);
            using var api = new OperatorApi(manifest.ApiUrl, manifest.ApiToken);
            var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token;
            await DefineAsync(api, manifest, model, new() { ["aula1"] = ["pc01", "pc02", "pc03"] }, cancel);

            var off = await RealProcess.RunAsync(_lab, ["power", "off", "pc03", "--data", _data]);
            off.Exit.Should().Be(0, off.Err);
            // Wait until the coordinator knows pc03 is off (within 10 s), so that its job waits for it instead of being sent into the void.
            var ogctl = RealProcess.Binary("OgActors.Ctl", "ogctl");
            var env = new Dictionary<string, string> { ["OG_LAB"] = _data, ["OG_API"] = "", ["OG_TOKEN"] = "" };
            var noticed = Stopwatch.StartNew();
            while (noticed.Elapsed < TimeSpan.FromSeconds(30))
            {
                var list = await RealProcess.RunAsync(ogctl, ["computer", "list", "--json"], env);
                if (list.Exit == 0 && JsonDocument.Parse(list.Out).RootElement.EnumerateArray()
                        .Any(c => c.GetProperty("name").GetString() == "pc03" && !c.GetProperty("online").GetBoolean())) break;
                await Task.Delay(250, cancel);
            }
            var id = await api.PostAsync("sessions", new
            {
                kind = "UpdateCache", classrooms = new[] { "aula1" }, image = Image, method = "Multicast", waitForComputers = 2,
                maxWaitSeconds = 240, offlineTimeoutSeconds = 240,
            }, cancel);
            // The transfer starts at the second join (pc01, pc02); only then does pc03 come on, and its job joins late.
            var session = await api.SessionAsync(id!, cancel);
            while (session.Multicast is not [{ StartedAt: not null }])
            {
                session.Outcome.Should().BeNull("the session waits for pc03");
                await Task.Delay(250, cancel);
                session = await api.SessionAsync(id!, cancel);
            }
            var on = await RealProcess.RunAsync(_lab, ["power", "on", "pc03", "--data", _data]);
            on.Exit.Should().Be(0, on.Err);
            session = await UntilDoneAsync(api, id!, cancel);

            var jobs = session.Jobs.ToDictionary(j => j.Computer);
            var detail = string.Join("\n", session.Jobs.Select(j => $"{j.Computer} {j.Status} [{j.Path}] {j.Reason} {j.Error}"));
            foreach (var pc in new[] { "pc01", "pc02" })
            {
                jobs[pc].Status.Should().Be(JobStatus.Succeeded, detail);
                jobs[pc].Path.Should().Be("multicast → cache", detail);
            }
            jobs["pc03"].Status.Should().Be(JobStatus.Succeeded, detail);
            jobs["pc03"].Path.Should().Be("multicast → cache → unicast catch-up", detail);
            jobs["pc03"].Reason.Should().Contain("Unicast catch-up", detail).And.Contain("joined after the multicast had started", detail);
            var transfer = session.Multicast.Should().ContainSingle().Subject;
            transfer.Members.Should().Equal("pc01", "pc02");
            transfer.Late.Should().Equal("pc03");
            transfer.Note.Should().Contain("2 of 2 computers joined");
            foreach (var pc in new[] { "pc01", "pc02", "pc03" })
                VirtualLabProbe.Md5(Path.Combine(_data, "computers", pc, "cache", Image + ".img")).Should().Be(VirtualLabProbe.Md5(model), $"{pc}'s cache holds the image");

            (await lab.StopAsync(TimeSpan.FromSeconds(90))).Should().Be(0, lab.Output);
            VirtualLabProbe.NamespacesOf(manifest.Network!.Prefix).Should().BeEmpty("the stopped lab removed its namespaces");
        }
        finally
        {
            if (!lab.HasExited) await lab.StopAsync(TimeSpan.FromSeconds(90));
        }
    }

    [Fact]
    public async Task A_coordinator_restart_during_the_transfer_does_not_stop_it_and_the_session_records_every_outcome()
    {
        var model = await ModelAsync();
        // 10 Mbit/s links: the 30 MB stream takes about 25 s; the coordinator is restarted in the middle of it.
        await using var lab = RealProcess.Start(_lab, ["lab", "--virtual", "--computers", "3", "--link-mbit", "10", "--data", _data]);
        try
        {
            var manifest = await VirtualLabProbe.ManifestAsync(lab, _data);
            using var api = new OperatorApi(manifest.ApiUrl, manifest.ApiToken);
            var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token;
            await DefineAsync(api, manifest, model, new() { ["aula1"] = ["pc01", "pc02", "pc03"] }, cancel);

            var id = await api.PostAsync("sessions", new
            {
                kind = "UpdateCache", classrooms = new[] { "aula1" }, image = Image, method = "Multicast", maxWaitSeconds = 60,
            }, cancel);
            var session = await api.SessionAsync(id!, cancel);
            while (session.Jobs.Any(j => j.Bytes < 2 * MiB))
            {
                session.Outcome.Should().BeNull("the transfer is still going when the coordinator restarts");
                await Task.Delay(100, cancel);
                session = await api.SessionAsync(id!, cancel);
            }

            // SIGTERM the coordinator, wait until it is gone, start it again with the same command line in the servers' namespace.
            var old = manifest.Network!.CoordinatorPid;
            var command = File.ReadAllText($"/proc/{old}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            using (var term = Process.Start("kill", $"-TERM {old}")!) term.WaitForExit();
            var watch = Stopwatch.StartNew();
            while (Directory.Exists($"/proc/{old}") && watch.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(100, cancel);
            Directory.Exists($"/proc/{old}").Should().BeFalse("the coordinator stopped");
            var restart = OgActors.Lab.Virtual.NamespacedProcess.Start(manifest.Network.ServerNamespace, command, Path.Combine(_data, "logs", "coordinator-2.log"));
            restart.Should().BePositive();
            var restartedAt = DateTimeOffset.UtcNow;

            // The transfer goes on; once the new coordinator answers, the session (recovered from its journal) ends with every outcome.
            session = await UntilDoneAsync(api, id!, cancel, tolerateRestart: true);
            var jobs = session.Jobs.ToDictionary(j => j.Computer);
            var detail = string.Join("\n", session.Jobs.Select(j => $"{j.Computer} {j.Status} [{j.Path}] {j.Reason} {j.Error}"));
            session.Outcome.Should().Be(SessionOutcome.Succeeded, detail);
            foreach (var pc in new[] { "pc01", "pc02", "pc03" })
            {
                jobs[pc].Status.Should().Be(JobStatus.Succeeded, detail);
                jobs[pc].Path.Should().Be("multicast → cache", "the restart did not stop the multicast: " + detail);
                jobs[pc].FinishedAt.Should().BeAfter(restartedAt, $"{pc}'s outcome was recorded by the recovered session: " + detail);
                VirtualLabProbe.Md5(Path.Combine(_data, "computers", pc, "cache", Image + ".img")).Should().Be(VirtualLabProbe.Md5(model), $"{pc}'s cache holds the image");
            }

            var transfer = session.Multicast.Should().ContainSingle("the sender's reports reach the recovered session").Subject;
            transfer.Members.Should().Equal("pc01", "pc02", "pc03");
            transfer.Dropped.Should().BeEmpty();
            (await lab.StopAsync(TimeSpan.FromSeconds(90))).Should().Be(0, lab.Output);
            VirtualLabProbe.NamespacesOf(manifest.Network.Prefix).Should().BeEmpty("the stopped lab removed its namespaces");
        }
        finally
        {
            if (!lab.HasExited) await lab.StopAsync(TimeSpan.FromSeconds(90));
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static async Task<SessionView> UntilDoneAsync(OperatorApi api, string id, CancellationToken cancel, bool tolerateRestart = false)
    {
        while (true)
        {
            try
            {
                var session = await api.SessionAsync(id, cancel);
                if (session.Outcome is not null) return session;
            }
            catch (Exception e) when (tolerateRestart && e is JourneyException or HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested) { }
            await Task.Delay(500, cancel);
        }
    }

    /// <summary>Drops the model into the repository, defines the classrooms over the lab's computers and the image, waits for the link.</summary>
    private static async Task DefineAsync(OperatorApi api, LabManifest manifest, string model, Dictionary<string, string[]> classrooms, CancellationToken cancel)
    {
        var repo = manifest.Repository.Name;
        File.Copy(model, Path.Combine(manifest.ImagesDir, Image + ".copying"));
        File.Move(Path.Combine(manifest.ImagesDir, Image + ".copying"), Path.Combine(manifest.ImagesDir, Image + ".img"));
        foreach (var (room, names) in classrooms)
        {
            await api.PostAsync("classrooms", new { name = room, network = "172.17.36.0/24" }, cancel);
            foreach (var c in manifest.Computers.Where(c => names.Contains(c.Name)))
                await api.PostAsync($"classrooms/{room}/computers", new { name = c.Name, ip = c.Ip, mac = c.Mac, repository = repo, cacheSizeBytes = c.CacheCapacityBytes }, cancel);
        }
        await api.PostAsync("images", new
        {
            canonical = Image, displayName = "Multicast test", softwareProfile = "ext4", partition = 1, partitionType = "EXT4", repository = repo, comments = "e2e",
        }, cancel);
        var image = await api.ImageAsync(Image, cancel);
        var watch = Stopwatch.StartNew();
        while (image.Copies.Count == 0 || image.Revision == 0)
        {
            watch.Elapsed.Should().BeLessThan(TimeSpan.FromMinutes(2), "the image is incorporated and linked");
            await Task.Delay(250, cancel);
            image = await api.ImageAsync(Image, cancel);
        }
    }

    /// <summary>A 300 MiB ext4 with 30 MB of incompressible files, captured by partclone | lzop.</summary>
    private async Task<string> ModelAsync()
    {
        var content = Directory.CreateDirectory(Path.Combine(_data, "model-content")).FullName;
        var random = new Random(21);
        for (var i = 0; i < 6; i++)
        {
            var bytes = new byte[5_000_000];
            random.NextBytes(bytes);
            await File.WriteAllBytesAsync(Path.Combine(content, $"file{i}.bin"), bytes);
        }
        var partition = Path.Combine(_data, "model.ext4");
        using (var f = new FileStream(partition, FileMode.Create, FileAccess.Write)) f.SetLength(300 * MiB);
        var info = new ProcessStartInfo("mkfs.ext4") { RedirectStandardError = true, ArgumentList = { "-q", "-F", "-d", content, partition } };
        using (var p = Process.Start(info)!)
        {
            var err = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            p.ExitCode.Should().Be(0, err);
        }
        var image = Path.Combine(_data, "model.img");
        await CapturePipeline.CaptureToFileAsync(partition, image);
        return image;
    }


    public void Dispose()
    {
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }
}
