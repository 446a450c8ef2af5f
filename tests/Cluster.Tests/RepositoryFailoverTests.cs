using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Akka.Actor;
using OgActors.ClientNode.Jobs;
using OgActors.Cluster.Tests.Support;
using OgActors.Lab;

namespace OgActors.Cluster.Tests;

/// <summary>
/// Issue 16, a repository lost mid-deploy: a coordinator, two repositories and two computers (pc01 with a cache: update cache
/// + restore; pc02 without: direct unicast), each an ActorSystem on 127.0.0.1. The computers' repository repo1 is reached
/// through a slow loopback link, so the restore is under way when repo1 is crashed (its ActorSystem terminated without leaving
/// the cluster, its HTTP service stopped at once). With the same image (same full sum) in repo2 every computer finishes from
/// repo2 — pc01 resuming its partial copy where it stopped, pc02 streaming again — and the outcome says so; the partitions
/// hold the image. With another content in repo2 the jobs fail with one sentence naming that.
/// </summary>
public sealed class RepositoryFailoverTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int BlobMiB = 16;
    private readonly string _dir = TestPaths.TempDir("failover");
    private AllInOneLab? _lab;
    private SlowLink? _link;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Computers_whose_repository_is_crashed_mid_restore_finish_from_another_repository_holding_the_same_image()
    {
        var lab = await StartLabAsync();
        var (fullSum, blobSum) = await MakeImageAsync(lab, "aula", seed: 1, into: [1, 2]);

        var id = await RestoreAsync(lab);
        var size = await CrashRepo1MidTransferAsync(lab, id);

        var session = await FinishedSessionAsync(id);
        output.WriteLine(session.ToString());
        session.GetProperty("outcome").GetString().Should().Be("Succeeded", session.ToString());
        var jobs = session.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("computer").GetString()!);

        // pc01 (cache): the partial copy resumed on repo2 where repo1 stopped, so the bytes add up to the image once.
        var cached = jobs["pc01"];
        cached.GetProperty("status").GetString().Should().Be("Succeeded", cached.ToString());
        cached.GetProperty("path").GetString().Should().Be("update cache + restore");
        cached.GetProperty("reason").GetString().Should().Contain("Repository repo1 went away at")
            .And.Contain("finished from repo2, resuming at").And.Contain($"the same content (full sum {fullSum})");
        cached.GetProperty("bytes").GetInt64().Should().Be(size, "the download resumed on repo2 from the byte where repo1 stopped");

        // pc02 (no cache): a partition restore cannot resume mid-stream, so it streamed the image again from repo2.
        var direct = jobs["pc02"];
        direct.GetProperty("status").GetString().Should().Be("Succeeded", direct.ToString());
        direct.GetProperty("path").GetString().Should().Be("direct unicast");
        direct.GetProperty("reason").GetString().Should().Contain("Repository repo1 went away at")
            .And.Contain("the restore started again from repo2 (a partition restore cannot resume mid-stream)");
        direct.GetProperty("bytes").GetInt64().Should().BeGreaterThan(size, "what repo1 streamed before it went away counts too");

        // Each computer restored the image's full sum (verified as it streamed or on the cache's commit), and the partition
        // holds the captured file byte for byte.
        foreach (var pc in new[] { "pc01", "pc02" })
        {
            var finished = await FinishedJobAsync(lab, pc, id);
            finished.Restored!.FullSum.Should().Be(fullSum);
            finished.Restored.PartitionWritten.Should().BeTrue();
            (await BlobSumAsync(lab, pc)).Should().Be(blobSum, $"{pc}'s partition holds the image restored from repo2");
        }
        // pc01's cache holds the image whole, verified against the full sum, no partial copy left.
        var cache = lab.ComputerFiles["pc01"].CacheDir;
        Md5(Path.Combine(cache, "aula.img")).Should().Be(fullSum);
        File.Exists(Path.Combine(cache, "aula.img.part")).Should().BeFalse();
    }

    [Fact]
    public async Task When_no_other_repository_holds_the_same_content_the_jobs_fail_with_one_sentence_naming_that()
    {
        var lab = await StartLabAsync();
        var (fullSum, _) = await MakeImageAsync(lab, "aula", seed: 1, into: [1]);
        var (otherSum, _) = await MakeImageAsync(lab, "aula", seed: 2, into: [2]); // repo2 holds another content of the same image
        otherSum.Should().NotBe(fullSum);

        var id = await RestoreAsync(lab);
        await CrashRepo1MidTransferAsync(lab, id);

        var session = await FinishedSessionAsync(id);
        output.WriteLine(session.ToString());
        session.GetProperty("outcome").GetString().Should().Be("Failed", session.ToString());
        foreach (var job in session.GetProperty("jobs").EnumerateArray())
        {
            job.GetProperty("status").GetString().Should().Be("Failed", job.ToString());
            var error = job.GetProperty("error").GetString()!;
            error.Should().StartWith("Repository repo1 went away at")
                .And.Contain($"no other repository holds image aula with the same content (full sum {fullSum})")
                .And.NotContain("\n");
            if (job.GetProperty("computer").GetString() == "pc01")
                error.Should().EndWith("the partial copy is kept in the cache and the download resumes from there next time.");
        }
        // pc01's partial copy is still there for a later attempt.
        new FileInfo(Path.Combine(lab.ComputerFiles["pc01"].CacheDir, "aula.img.part")).Length.Should().BeGreaterThan(0);
    }

    // ---- the lab --------------------------------------------------------------------------------------------------------

    /// <summary>
    /// One coordinator, repo1 and repo2, pc01 (64 MiB partition, 128 MiB cache) and pc02 (64 MiB partition, no cache). The computers
    /// reach repo1 through a slow link (1 MiB/s per download); repo2 they know only from its own announcement, which the
    /// coordinator passes on in the job's alternates.
    /// </summary>
    private async Task<AllInOneLab> StartLabAsync()
    {
        AllInOneLab? started = null;
        _link = new SlowLink(() => started!.Repository.HttpUrl, 1L << 20);
        var link = _link;
        _lab = started = await AllInOneLab.StartAsync(new LabOptions
        {
            DataDir = Path.Combine(_dir, "lab"),
            Repositories = 2,
            Computers = 2,
            Computer = i => new LabComputer($"pc{i:00}", [64 * LabOptions.MiB], i == 1 ? 128 * LabOptions.MiB : 0),
            CommonHocon = TestPaths.Strict,
            ClientConfigurators = [JobRunnerSetup.Configurator(name => name == "repo1" ? link.Url : null, announce: true)],
            ReadyTimeout = TimeSpan.FromSeconds(90),
        });
        return started;
    }

    /// <summary>Defines classroom aula1 (pc01, pc02 on repo1) and image aula (on repo1); once both repositories' copies are linked, restores it by unicast.</summary>
    private async Task<string> RestoreAsync(AllInOneLab lab)
    {
        var env = Env(lab);
        (await Ogctl.RunAsync(env, "classroom", "define", "aula1", "--network", "10.38.0.0/24")).ExitCode.Should().Be(0);
        foreach (var (pc, i) in new[] { ("pc01", 1), ("pc02", 2) })
        {
            var mac = lab.Manifest.Computers.Single(c => c.Name == pc).Mac;
            var added = await Ogctl.RunAsync(env, "classroom", "add-computer", "aula1", "--name", pc, "--ip", $"10.38.0.1{i}", "--mac", mac, "--repo", "repo1");
            added.ExitCode.Should().Be(0, added.Error);
        }
        foreach (var repo in new[] { "repo1", "repo2" })
            await Eventually.Within(TimeSpan.FromSeconds(90), async () =>
                (await Ogctl.RunAsync(env, "repo", "images", repo, "--json")).Out.Contains("\"Ready\""), $"{repo} incorporates the image");
        var defined = await Ogctl.RunAsync(env, "image", "define", "--canonical", "aula", "--name", "Aula", "--profile", "test", "--partition", "1",
            "--type", "EXT4", "--repo", "repo1", "--comments", "issue 16 fail-over");
        defined.ExitCode.Should().Be(0, defined.Error + defined.Out);
        await Eventually.Within(TimeSpan.FromSeconds(30), async () =>
        {
            var shown = await Ogctl.RunAsync(env, "image", "show", "aula", "--json");
            if (shown.ExitCode != 0) return false;
            var copies = JsonDocument.Parse(shown.Out).RootElement.GetProperty("copies").EnumerateArray().Select(c => c.GetProperty("repository").GetString()).ToList();
            return copies.Contains("repo1") && copies.Contains("repo2");
        }, "the image object links the files of both repositories");
        var restore = await Ogctl.RunAsync(env, "restore", "--scope", "aula1", "--partition", "1", "--image", "aula", "--method", "unicast", "--json");
        restore.ExitCode.Should().Be(0, restore.Error + restore.Out);
        return JsonDocument.Parse(restore.Out).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Waits until both computers are downloading from repo1 (some bytes, not all), then crashes repo1; returns the image's size.</summary>
    private async Task<long> CrashRepo1MidTransferAsync(AllInOneLab lab, string id)
    {
        var size = new FileInfo(Path.Combine(AllInOneLab.RepositoryDir(lab.DataDir, 1), "images", "aula.img")).Length;
        await Eventually.Within(TimeSpan.FromSeconds(90), async () =>
        {
            var jobs = (await SessionAsync(id)).GetProperty("jobs").EnumerateArray().ToList();
            return jobs.All(j => j.GetProperty("bytes").GetInt64() is > 0 and var b && b < size);
        }, "both computers' downloads from repo1 are under way");
        await lab.CrashRepositoryAsync("repo1");
        output.WriteLine($"crashed repo1 during session {id}");
        return size;
    }

    private async Task<JsonElement> FinishedSessionAsync(string id)
    {
        JsonElement session = default;
        await Eventually.Within(TimeSpan.FromSeconds(180), async () =>
        {
            session = await SessionAsync(id);
            return session.GetProperty("outcome").ValueKind != JsonValueKind.Null;
        }, $"session {id} ends");
        return session;
    }

    private async Task<JsonElement> SessionAsync(string id)
    {
        var shown = await Ogctl.RunAsync(Env(_lab!), "session", "show", id, "--json");
        shown.ExitCode.Should().Be(0, shown.Error);
        return JsonDocument.Parse(shown.Out).RootElement.Clone();
    }

    private static async Task<OgActors.Messages.Sessions.JobFinished> FinishedJobAsync(AllInOneLab lab, string pc, string id)
    {
        var jobs = await lab.Client(pc)!.System.ActorSelection("/user/" + JobRunnerSetup.ActorName)
            .Ask<JobRunnerActor.Jobs>(new JobRunnerActor.GetJobs(), TimeSpan.FromSeconds(10));
        return jobs.Finished.Should().ContainSingle(f => f.SessionId == id).Subject;
    }

    private static Dictionary<string, string> Env(AllInOneLab lab) => new()
    {
        ["OG_API"] = lab.Coordinator.ApiUrl.ToString(),
        ["OG_TOKEN"] = lab.Token,
    };

    // ---- the image --------------------------------------------------------------------------------------------------------

    /// <summary>
    /// An ext4 partition holding <see cref="BlobMiB"/> of random bytes (from <paramref name="seed"/>) as /blob.bin, captured by
    /// partclone and compressed by lzop, as NAME.img in the images directory of each repository in <paramref name="into"/>
    /// (1 = repo1, 2 = repo2), once the lab runs (a file a repository incorporates in its first seconds in the cluster may be
    /// announced before the coordinator's subscription reached it). Returns the image's full MD5 and the blob's MD5.
    /// </summary>
    private async Task<(string FullSum, string BlobSum)> MakeImageAsync(AllInOneLab lab, string name, int seed, int[] into)
    {
        var work = Path.Combine(_dir, $"made{seed}");
        var content = Path.Combine(work, "content");
        Directory.CreateDirectory(content);
        var random = new Random(seed);
        var bytes = new byte[1 << 20];
        var blob = Path.Combine(content, "blob.bin");
        await using (var file = File.Create(blob))
            for (var i = 0; i < BlobMiB; i++) { random.NextBytes(bytes); await file.WriteAsync(bytes); }
        var blobSum = Md5(blob);
        var partition = Path.Combine(work, "part.ext4");
        await using (var f = File.Create(partition)) f.SetLength(40L << 20);
        await LabImage.Tool("mkfs.ext4", "-q", "-F", "-d", content, partition);
        var image = Path.Combine(work, name + ".img");
        await LabImage.Tool("bash", "-o", "pipefail", "-c", $"partclone.extfs -c -s '{partition}' -o - 2>/dev/null | lzop -c > '{image}'");
        foreach (var index in into)
        {
            var images = lab.Repositories[index - 1].Settings.ImagesDir;
            var staged = Path.Combine(images, $".{name}.copying");
            File.Copy(image, staged);
            File.Move(staged, Path.Combine(images, name + ".img"));
        }
        var fullSum = Md5(image);
        Directory.Delete(work, true);
        return (fullSum, blobSum);
    }

    /// <summary>The MD5 of /blob.bin on the computer's partition 1, read back with debugfs.</summary>
    private async Task<string> BlobSumAsync(AllInOneLab lab, string pc)
    {
        var dumped = Path.Combine(_dir, $"{pc}-blob.bin");
        await LabImage.Tool("debugfs", "-R", $"dump /blob.bin {dumped}", lab.ComputerFiles[pc].Partitions[0].File);
        return Md5(dumped);
    }

    private static string Md5(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }

    public async Task DisposeAsync()
    {
        if (_lab is not null) await _lab.StopAsync();
        if (_link is not null) await _link.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
