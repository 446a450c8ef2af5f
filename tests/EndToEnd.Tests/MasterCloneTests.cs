using System.Diagnostics;
using OgActors.Imaging.Pipelines;
using OgActors.Lab;
using OgActors.Lab.Journey;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Images;
using OgActors.Messages.Sessions;

namespace OgActors.EndToEnd.Tests;

/// <summary>
/// Remote cloning through a master computer (clone-remote) on one virtual classroom of 5 computers with the real
/// processes: og-lab's namespaces, one og-client per computer, partclone | lzop capturing live on the master, the real
/// udp-sender on the master and udp-receiver on the receivers, the TCP fan-out for unicast. One lab for every check.
/// </summary>
[Collection("virtual-lab")]
public sealed class MasterCloneTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const string Image = "relayimg";
    private const long MiB = 1024 * 1024;
    private readonly string _data = Directory.CreateTempSubdirectory("og-e2e-master-").FullName;
    private readonly string _lab = RealProcess.Binary("OgActors.Lab", "og-lab");

    [Fact]
    public async Task A_master_clones_its_partition_live_and_relays_repository_and_cache_images_by_multicast_and_unicast()
    {
        // pc01's partition 1 holds a clean ext4 with files (the master's PART:1); the model image needs 300 MiB, so only the
        // 320 MiB partitions 2 of pc02-pc04 take it: pc05's 256 MiB partition 2 is too small.
        var masterFiles = await Ext4Async(Path.Combine(_data, "computers", "pc01", "partitions", "part1.img"), 256 * MiB, "master", 3);
        foreach (var pc in new[] { "pc02", "pc03", "pc04" }) Sparse(Path.Combine(_data, "computers", pc, "partitions", "part2.img"), 320 * MiB);
        var model = Path.Combine(_data, "model.ext4");
        var modelFiles = await Ext4Async(model, 300 * MiB, "model", 2);
        var modelImage = Path.Combine(_data, "model.img");
        await CapturePipeline.CaptureToFileAsync(model, modelImage);

        await using var lab = RealProcess.Start(_lab, ["lab", "--virtual", "--computers", "5", "--link-mbit", "200", "--data", _data]);
        try
        {
            var manifest = await VirtualLabProbe.ManifestAsync(lab, _data);
            using var api = new OperatorApi(manifest.ApiUrl, manifest.ApiToken);
            var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token;
            var image = await DefineAsync(api, manifest, modelImage, cancel);
            var server = manifest.Network!.ServerNamespace;
            var receivers = new[] { "pc02", "pc03", "pc04", "pc05" };

            // 1. PART:1 by multicast: every receiver's partition 1 is the master's, the repository sent nothing.
            var before = TxBytes(server);
            var part = await RunAsync(api, new { kind = "CloneRemote", classrooms = new[] { "aula1" }, master = "pc01", source = "PART:1", partition = 1, method = "Multicast", maxWaitSeconds = 60 }, cancel);
            var sentByServer = TxBytes(server) - before;
            var detail = Detail(part);
            output.WriteLine($"PART:1: the server namespace sent {sentByServer} bytes");
            part.Outcome.Should().Be(SessionOutcome.Succeeded, detail);
            var master = part.Jobs.Single(j => j.Computer == "pc01");
            master.Reason.Should().Contain("received by pc02, pc03, pc04, pc05", detail).And.Contain("stream MD5", detail);
            foreach (var pc in receivers)
            {
                var job = part.Jobs.Single(j => j.Computer == pc);
                job.Reason.Should().Contain("Received by multicast from pc01").And.Contain("agreed with the master", detail);
                (await JourneyVerifier.VerifyAsync(Partition(pc, 1), masterFiles, Path.Combine(_data, "verify"), cancel)).Should().BeNull($"{pc}'s partition 1 is pc01's");
            }
            part.Multicast.Should().ContainSingle().Which.Members.Should().Equal(receivers);
            ((double)sentByServer).Should().BeLessThan(2 * MiB, "the master captured and sent its own partition; the repository sent no image");
            var room = await api.GetAsync<ClassroomView>("classrooms/aula1", cancel);
            room.Computers.Single(c => c.Name == "pc03").Partitions.Should().Contain(p => p.Partition == 1 && p.Image.StartsWith("clone of pc01 partition 1 at "));

            // 2. IMG-CACHE of an image the master does not have: refused with a sentence, the receivers fail at once with it.
            var absent = await RunAsync(api, new { kind = "CloneRemote", computers = new[] { "pc01", "pc02" }, master = "pc01", source = $"IMG-CACHE:{Image}", partition = 2, method = "Multicast" }, cancel);
            detail = Detail(absent);
            absent.Jobs.Single(j => j.Computer == "pc01").Error.Should().Contain($"Image {Image} is not in the master pc01's cache", detail);
            absent.Jobs.Single(j => j.Computer == "pc02").Error.Should().StartWith("The master pc01 failed: Image relayimg is not in the master pc01's cache", detail);

            // 3. IMG-REPO by multicast: the master fetches the image once by unicast, relays it; pc05's partition 2 is too small.
            before = TxBytes(server);
            var relay = await RunAsync(api, new { kind = "CloneRemote", classrooms = new[] { "aula1" }, master = "pc01", source = $"IMG-REPO:{Image}", partition = 2, method = "Multicast", maxWaitSeconds = 60 }, cancel);
            sentByServer = TxBytes(server) - before;
            detail = Detail(relay);
            output.WriteLine($"IMG-REPO relay: the server namespace sent {sentByServer} bytes for a {new FileInfo(modelImage).Length}-byte image");
            var imageBytes = new FileInfo(modelImage).Length;
            relay.Jobs.Single(j => j.Computer == "pc05").Status.Should().Be(JobStatus.Failed, detail);
            relay.Jobs.Single(j => j.Computer == "pc05").Error.Should().Contain("is smaller than the").And.Contain("it did not join and nothing was written", detail);
            relay.Jobs.Single(j => j.Computer == "pc01").Status.Should().Be(JobStatus.Succeeded, detail);
            foreach (var pc in new[] { "pc02", "pc03", "pc04" })
            {
                relay.Jobs.Single(j => j.Computer == pc).Status.Should().Be(JobStatus.Succeeded, detail);
                (await JourneyVerifier.VerifyAsync(Partition(pc, 2), modelFiles, Path.Combine(_data, "verify"), cancel)).Should().BeNull($"{pc}'s partition 2 holds the image");
            }
            ((double)sentByServer).Should().BeInRange(imageBytes, 1.1 * imageBytes, "the repository's link carried the image once, to the master");
            VirtualLabProbe.Md5(Path.Combine(_data, "computers", "pc01", "cache", Image + ".img")).Should().Be(VirtualLabProbe.Md5(modelImage));
            room = await api.GetAsync<ClassroomView>("classrooms/aula1", cancel);
            room.Computers.Single(c => c.Name == "pc02").Partitions.Should().Contain(p => p.Partition == 2 && p.Image == Image && p.Revision == image.Revision);

            // 4. IMG-CACHE by unicast: the TCP fan-out, one stream per receiver, from the copy now in the master's cache.
            foreach (var pc in new[] { "pc02", "pc03" })
            {
                await using var wipe = new FileStream(Partition(pc, 2), FileMode.Open, FileAccess.Write); // the filesystem's start, not the partition's size
                await wipe.WriteAsync(new byte[4 * MiB], cancel);
            }
            before = TxBytes(server);
            var unicast = await RunAsync(api, new { kind = "CloneRemote", computers = new[] { "pc01", "pc02", "pc03" }, master = "pc01", source = $"IMG-CACHE:{Image}", partition = 2, method = "Unicast", maxWaitSeconds = 60 }, cancel);
            detail = Detail(unicast);
            unicast.Outcome.Should().Be(SessionOutcome.Succeeded, detail);
            foreach (var pc in new[] { "pc02", "pc03" })
            {
                unicast.Jobs.Single(j => j.Computer == pc).Reason.Should().Contain("Received by unicast (TCP) from pc01", detail);
                (await JourneyVerifier.VerifyAsync(Partition(pc, 2), modelFiles, Path.Combine(_data, "verify"), cancel)).Should().BeNull($"{pc}'s partition 2 holds the image again");
            }
            ((double)(TxBytes(server) - before)).Should().BeLessThan(2 * MiB, "the image came from the master's cache");

            // 5. The master powered off mid-stream (8 Mbit/s, so the capture takes seconds): the receivers fail within 30 s, saying so.
            var id = await api.PostAsync("sessions", new { kind = "CloneRemote", computers = new[] { "pc01", "pc02", "pc03" }, master = "pc01", source = "PART:1", partition = 1, method = "Multicast", maxMbps = 8, maxWaitSeconds = 60 }, cancel);
            var live = await api.SessionAsync(id!, cancel);
            while (live.Jobs.Where(j => j.Computer != "pc01").Any(j => j.Bytes < 2 * MiB))
            {
                if (live.Outcome is not null) Detail(live).Should().BeNull("the session is still streaming when the master is powered off");
                await Task.Delay(100, cancel);
                live = await api.SessionAsync(id!, cancel);
            }
            var off = await RealProcess.RunAsync(_lab, ["power", "off", "pc01", "--data", _data]);
            off.Exit.Should().Be(0, off.Err);
            var pulled = Stopwatch.StartNew();
            while (live.Jobs.Where(j => j.Computer != "pc01").Any(j => !j.FinishedAt.HasValue))
            {
                if (pulled.Elapsed > TimeSpan.FromSeconds(30)) Detail(live).Should().BeNull("the receivers are failed at once, not after a long timeout");
                await Task.Delay(250, cancel);
                live = await api.SessionAsync(id!, cancel);
            }
            output.WriteLine($"Master powered off: receivers ended {pulled.Elapsed.TotalSeconds:0.0} s later");
            detail = Detail(live);
            foreach (var pc in new[] { "pc02", "pc03" })
            {
                var job = live.Jobs.Single(j => j.Computer == pc);
                job.Status.Should().Be(JobStatus.Failed, detail);
                job.Error.Should().Contain("master pc01", detail);
            }

            (await lab.StopAsync(TimeSpan.FromSeconds(90))).Should().Be(0, lab.Output);
            VirtualLabProbe.NamespacesOf(manifest.Network.Prefix).Should().BeEmpty("the stopped lab removed its namespaces");
        }
        finally
        {
            if (!lab.HasExited) await lab.StopAsync(TimeSpan.FromSeconds(90));
        }
    }

    private string Partition(string pc, int n) => Path.Combine(_data, "computers", pc, "partitions", $"part{n}.img");

    private string Detail(SessionView s)
    {
        var text = $"session {s.SessionId}: outcome {s.Outcome}, {(s.FinishedAt - s.CreatedAt)?.TotalSeconds:0.0} s\n" +
            string.Join("\n", s.Jobs.Select(j => $"{j.Computer} {j.Status} [{j.Path}] {j.Bytes} bytes in {j.Duration.TotalSeconds:0.0} s: {j.Reason} | {j.Error}"));
        output.WriteLine(text);
        return text;
    }

    private static Task<SessionView> RunAsync(OperatorApi api, object body, CancellationToken cancel) => VirtualLabProbe.RunSessionAsync(api, body, cancel);

    private static Task<ImageView> DefineAsync(OperatorApi api, LabManifest manifest, string model, CancellationToken cancel) =>
        VirtualLabProbe.DefineClassroomAndImageAsync(api, manifest, model, Image, "Relay test", 2, cancel);

    /// <summary>An ext4 of <paramref name="bytes"/> in <paramref name="path"/> with <paramref name="files"/> × 4 MB of incompressible files; its files' hashes.</summary>
    private async Task<IReadOnlyDictionary<string, string>> Ext4Async(string path, long bytes, string name, int files)
    {
        var content = Directory.CreateDirectory(Path.Combine(_data, $"{name}-content")).FullName;
        var random = new Random(name.Length * 7 + files);
        for (var i = 0; i < files; i++)
        {
            var data = new byte[4_000_000];
            random.NextBytes(data);
            await File.WriteAllBytesAsync(Path.Combine(content, $"file{i}.bin"), data);
        }
        await File.WriteAllTextAsync(Path.Combine(content, "hostname"), name + "\n");
        Sparse(path, bytes);
        await Tool("mkfs.ext4", "-q", "-F", "-d", content, path);
        return await JourneyVerifier.ChecksumsAsync(path, Path.Combine(_data, "verify"), CancellationToken.None);
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

    private static async Task Tool(string tool, params string[] args)
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
