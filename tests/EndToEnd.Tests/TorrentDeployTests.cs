using System.Diagnostics;
using OgActors.Imaging.Pipelines;
using OgActors.Lab;
using OgActors.Lab.Journey;
using OgActors.Messages.Images;
using OgActors.Messages.Sessions;

namespace OgActors.EndToEnd.Tests;

/// <summary>
/// P2P on the virtual classroom with the real processes: og-lab's namespaces, one og-client per computer each with its own
/// aria2c, the repository's opentracker and aria2c seeder. Six computers deploy by torrent in peer mode (they share what they
/// have) and keep seeding for the seed time, as `ogctl tracker show` shows, then update their emptied caches in leecher mode
/// (they do not share): the repository's link counters tell the difference.
/// </summary>
[Collection("virtual-lab")]
public sealed class TorrentDeployTests : IDisposable
{
    private const string Image = "p2pimage";
    private const long MiB = 1024 * 1024;
    private const int Computers = 6;
    private readonly string _data = Directory.CreateTempSubdirectory("og-e2e-p2p-").FullName;
    private readonly string _lab = RealProcess.Binary("OgActors.Lab", "og-lab");

    [Fact]
    public async Task Six_computers_deploy_by_torrent_peers_share_and_seed_for_the_seed_time_leechers_each_take_their_own()
    {
        var (model, files) = await ModelAsync();
        // The repository's link is the bottleneck (as in a classroom); the computers' links are faster than it.
        await using var lab = RealProcess.Start(_lab, ["lab", "--virtual", "--computers", $"{Computers}", "--link-mbit", "400", "--repo-link-mbit", "100", "--data", _data]);
        try
        {
            var manifest = await VirtualLabProbe.ManifestAsync(lab, _data);
            using var api = new OperatorApi(manifest.ApiUrl, manifest.ApiToken);
            var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(10)).Token;
            var image = await DefineAsync(api, manifest, model, cancel);
            var imageBytes = new FileInfo(model).Length;
            var server = manifest.Network!.ServerNamespace;

            // Peer mode.
            var before = TxBytes(server);
            var peer = await RunAsync(api, new { kind = "DeployImage", classrooms = new[] { "aula1" }, image = Image, partition = 1, method = "Torrent", p2PMode = "Peer", seedSeconds = SeedSeconds }, cancel);
            var peerSent = TxBytes(server) - before;
            var detail = Detail(peer);
            peer.Jobs.Should().HaveCount(Computers).And.OnlyContain(j => j.Status == JobStatus.Succeeded, detail);
            peer.Jobs.Should().OnlyContain(j => j.Path == "update cache + restore", detail);
            var room = await api.GetAsync<Messages.Classrooms.ClassroomView>("classrooms/aula1", cancel);
            foreach (var pc in manifest.Computers.Select(c => c.Name))
            {
                var part = Path.Combine(_data, "computers", pc, "partitions", "part1.img");
                (await JourneyVerifier.VerifyAsync(part, files, Path.Combine(_data, "verify"), cancel)).Should().BeNull($"{pc}'s partition holds the model");
                room.Computers.Single(c => c.Name == pc).Partitions.Should().Contain(p => p.Partition == 1 && p.Image == Image && p.Revision == image.Revision);
            }
            ((double)peerSent).Should().BeLessThanOrEqualTo(2.0 * imageBytes,
                $"peers share the pieces: the repository sent {peerSent} bytes for a {imageBytes}-byte image to {Computers} computers\n{detail}");

            // Seed time: after its job ends each computer shows as a seeder in `ogctl tracker show` (the tracker's swarm, each peer
            // asked for its pieces, joined with the computer registry) until its seed time is over, then no longer.
            await SeedTimeHoldsAsync(peer, manifest, cancel);

            // Leecher mode, caches emptied (and the seed time over): every computer takes the whole image from the repository.
            foreach (var pc in manifest.Computers.Select(c => c.Name))
                foreach (var f in Directory.GetFiles(Path.Combine(_data, "computers", pc, "cache"), Image + ".img*")) File.Delete(f);
            before = TxBytes(server);
            var leech = await RunAsync(api, new { kind = "UpdateCache", classrooms = new[] { "aula1" }, image = Image, method = "Torrent", p2PMode = "Leecher", seedSeconds = 0 }, cancel);
            var leechSent = TxBytes(server) - before;
            detail = Detail(leech);
            leech.Jobs.Should().OnlyContain(j => j.Status == JobStatus.Succeeded, detail);
            foreach (var pc in manifest.Computers.Select(c => c.Name))
                VirtualLabProbe.Md5(Path.Combine(_data, "computers", pc, "cache", Image + ".img")).Should().Be(VirtualLabProbe.Md5(model));
            ((double)leechSent).Should().BeGreaterThanOrEqualTo(0.8 * Computers * imageBytes,
                $"leechers do not share: the repository sent {leechSent} bytes ({leechSent / (double)imageBytes:0.00} × the image)\n{detail}");
            Console.WriteLine($"torrent, {Computers} computers: peer mode repository upload {peerSent / (double)imageBytes:0.00} × the image, leecher mode {leechSent / (double)imageBytes:0.00} ×");

            (await lab.StopAsync(TimeSpan.FromSeconds(90))).Should().Be(0, lab.Output);
            VirtualLabProbe.NamespacesOf(manifest.Network.Prefix).Should().BeEmpty();
            Process.GetProcessesByName("aria2c").Concat(Process.GetProcessesByName("opentracker"))
                .Where(p => CommandLine(p.Id).Contains(_data) || CommandLine(p.Id).Contains("stop-with-process")).Should().BeEmpty("no aria2c or opentracker outlives the lab");
        }
        finally
        {
            if (!lab.HasExited) await lab.StopAsync(TimeSpan.FromSeconds(90));
        }
    }

    private const int SeedSeconds = 40;

    private async Task SeedTimeHoldsAsync(SessionView session, LabManifest manifest, CancellationToken cancel)
    {
        var ctl = new LabDriver(_data);
        var ended = session.Jobs.ToDictionary(j => j.Computer, j => j.FinishedAt ?? throw new InvalidOperationException($"{j.Computer}'s job has no end time."));
        var deadline = ended.Values.Max() + TimeSpan.FromSeconds(SeedSeconds);
        var seenSeeding = new HashSet<string>();
        while (true)
        {
            var shown = await ctl.JsonAsync("tracker", "show", "--image", Image);
            var swarm = shown.GetProperty("images").EnumerateArray().Should().ContainSingle("the repository tracks its ready image").Subject;
            var at = swarm.GetProperty("at").GetDateTimeOffset();
            var peers = swarm.GetProperty("peers").EnumerateArray().ToList();
            peers.Should().Contain(p => p.GetProperty("kind").GetString() == "repository" && p.GetProperty("role").GetString() == "seeder"
                && p.GetProperty("name").GetString() == manifest.Repository.Name, "the repository seeds its image");
            swarm.GetProperty("completed").GetInt64().Should().BeGreaterThanOrEqualTo(Computers, "every computer told the tracker it completed the download");
            peers.Should().NotContain(p => p.GetProperty("kind").GetString() == "unknown", "the only peers are the lab's computers and its repository");
            var seeding = peers.Where(p => p.GetProperty("kind").GetString() == "computer" && p.GetProperty("role").GetString() == "seeder")
                .Select(p => p.GetProperty("name").GetString()!).ToHashSet();
            foreach (var (pc, end) in ended)
            {
                // Within its seed time (with a margin for the view's own few seconds) a computer seeds; well after it, it does not.
                if (at < end + TimeSpan.FromSeconds(SeedSeconds - 10))
                    seeding.Should().Contain(pc, $"{pc}'s job ended at {end:HH:mm:ss.f}, its seed time is {SeedSeconds} s and the view was taken at {at:HH:mm:ss.f}");
                if (at > end + TimeSpan.FromSeconds(SeedSeconds + 10))
                    seeding.Should().NotContain(pc, $"{pc}'s seed time ended at {end.AddSeconds(SeedSeconds):HH:mm:ss.f}; the view was taken at {at:HH:mm:ss.f}");
            }
            seenSeeding.UnionWith(seeding);
            if (seeding.Count == 0 && at > deadline) break;
            (DateTimeOffset.UtcNow < deadline + TimeSpan.FromSeconds(90)).Should().BeTrue($"the seeds stop after the seed time; still seeding: {string.Join(", ", seeding)}");
            await Task.Delay(TimeSpan.FromSeconds(2), cancel);
        }
        seenSeeding.Should().BeEquivalentTo(ended.Keys, "every computer was seen seeding after its job ended");
    }

    private static string Detail(SessionView session) => string.Join("\n", session.Jobs.Select(j => $"{j.Computer} {j.Status} [{j.Path}] {j.Reason} {j.Error}"));

    private static Task<SessionView> RunAsync(OperatorApi api, object body, CancellationToken cancel) => VirtualLabProbe.RunSessionAsync(api, body, cancel);

    private static Task<ImageView> DefineAsync(OperatorApi api, LabManifest manifest, string model, CancellationToken cancel) =>
        VirtualLabProbe.DefineClassroomAndImageAsync(api, manifest, model, Image, "Torrent test", 1, cancel);

    /// <summary>A 200 MiB ext4 with 60 MB of incompressible files (15 pieces of 4 MiB: enough for peers to trade), captured by partclone | lzop; its files' hashes.</summary>
    private async Task<(string Image, IReadOnlyDictionary<string, string> Files)> ModelAsync()
    {
        var content = Directory.CreateDirectory(Path.Combine(_data, "model-content")).FullName;
        var random = new Random(13);
        for (var i = 0; i < 15; i++)
        {
            var bytes = new byte[4_000_000];
            random.NextBytes(bytes);
            await File.WriteAllBytesAsync(Path.Combine(content, $"file{i}.bin"), bytes);
        }
        await File.WriteAllTextAsync(Path.Combine(content, "hostname"), "model\n");
        var partition = Path.Combine(_data, "model.ext4");
        using (var f = new FileStream(partition, FileMode.Create, FileAccess.Write)) f.SetLength(200 * MiB);
        var info = new ProcessStartInfo("mkfs.ext4") { RedirectStandardError = true };
        foreach (var a in new[] { "-q", "-F", "-d", content, partition }) info.ArgumentList.Add(a);
        using (var p = Process.Start(info)!) { await p.WaitForExitAsync(); p.ExitCode.Should().Be(0); }
        var image = Path.Combine(_data, "model.img");
        await CapturePipeline.CaptureToFileAsync(partition, image);
        var files = await JourneyVerifier.ChecksumsAsync(partition, Path.Combine(_data, "verify"), CancellationToken.None);
        return (image, files);
    }

    private static long TxBytes(string ns)
    {
        var psi = new ProcessStartInfo("ip", $"netns exec {ns} cat /sys/class/net/eth0/statistics/tx_bytes") { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return long.Parse(text.Trim());
    }

    private static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); } catch (IOException) { return ""; }
    }

    public void Dispose()
    {
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }
}
