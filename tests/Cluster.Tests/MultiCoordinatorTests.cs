using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OgActors.ClientNode.Jobs;
using OgActors.Cluster.Tests.Support;
using OgActors.Coordinator.Domain;
using OgActors.Coordinator.Hosting;
using OgActors.Lab;
using static OgActors.Hosting.Configuration.OgConfiguration;

namespace OgActors.Cluster.Tests;

/// <summary>
/// Issue 16, several coordinators: coordinators on one PostgreSQL journal form one cluster with a repository; two computers
/// restore an image by unicast (through a slow link, so the transfer is under way); the coordinator that hosts the session
/// crashes (its ActorSystem terminated without leaving: no hand-over); the session recovers on another coordinator and
/// completes; every computer's outcome is journaled once, every job ran once, every computer is online again.
/// </summary>
public sealed class MultiCoordinatorTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int ImageMiB = 40;
    private readonly string _dir = TestPaths.TempDir("coords");
    private readonly string _schema = $"og_test_{Guid.NewGuid():N}"[..20];
    private readonly string _postgres = Environment.GetEnvironmentVariable("OG_TEST_POSTGRES") ?? "";
    private AllInOneLab _lab = null!;
    private SlowLink _link = null!;

    public async Task InitializeAsync()
    {
        _postgres.Should().NotBeNullOrWhiteSpace("OG_TEST_POSTGRES must name the test PostgreSQL (test.sh exports it from scripts/postgres.sh)");
        await Sql($"CREATE SCHEMA {_schema}");
        await LabImage.MakeAsync(Path.Combine(_dir, "lab", "repository", "images"), "aula", ImageMiB, Path.Combine(_dir, "made"));

        AllInOneLab? started = null;
        // 10 MiB/s per download: a 40 MiB restore takes about 4 s, long enough to crash a coordinator in the middle of it.
        _link = new SlowLink(() => started!.Repository.HttpUrl, 10L << 20);
        _lab = started = await AllInOneLab.StartAsync(new LabOptions
        {
            DataDir = Path.Combine(_dir, "lab"),
            Coordinators = 3,
            Computers = 2,
            PartitionSize = 64 * LabOptions.MiB,
            PartitionsPerComputer = 1,
            CacheCapacity = 0,
            CoordinatorHocon = $$"""
                og.coordinator.journal { provider = postgresql, postgresql { connection-string = {{Quote(_postgres)}}, schema = {{_schema}} } }
                """,
            // A crashed member is downed 5 s after it became unreachable (15 s in production).
            CommonHocon = "akka.actor.serialize-messages = off\nakka.cluster.split-brain-resolver.stable-after = 5s\nakka.loglevel = WARNING",
            ClientConfigurators = [JobRunnerSetup.Configurator(_ => _link.Url, announce: true)],
            ReadyTimeout = TimeSpan.FromSeconds(90),
        });
    }

    [Fact]
    public async Task A_coordinator_crashing_mid_session_leaves_the_session_to_another_which_completes_it_with_every_outcome_recorded_once()
    {
        // Three coordinators and the repository are one cluster; the computers list every coordinator as a contact point.
        _lab.Coordinators.Should().HaveCount(3);
        // Each member saw itself Up; the first coordinator's view converges a gossip round later.
        await Eventually.Within(TimeSpan.FromSeconds(30), () => Task.FromResult(
            _lab.Coordinator.Cluster.State.Members.Count == 4 &&
            _lab.Coordinator.Cluster.State.Members.All(m => m.Status == Akka.Cluster.MemberStatus.Up)), "every member is Up in the first coordinator's view");
        _lab.Client("pc01")!.Node.SeedNodes.Should().HaveCount(3);

        // Any coordinator answers any command: the classroom through the third, the image through the second.
        var third = Env(2);
        (await Ctl(third, "classroom", "define", "aula1", "--network", "10.37.0.0/24")).ExitCode.Should().Be(0);
        foreach (var (pc, i) in new[] { ("pc01", 1), ("pc02", 2) })
        {
            var mac = _lab.Manifest.Computers.Single(c => c.Name == pc).Mac;
            var added = await Ctl(third, "classroom", "add-computer", "aula1", "--name", pc, "--ip", $"10.37.0.1{i}", "--mac", mac, "--repo", "repo1");
            added.ExitCode.Should().Be(0, added.Error);
        }
        await Eventually.Within(TimeSpan.FromSeconds(60), async () =>
            (await Ctl(Env(1), "repo", "images", "repo1", "--json")).Out.Contains("\"Ready\""), "the repository incorporates the image");
        var defined = await Ctl(Env(1), "image", "define", "--canonical", "aula", "--name", "Aula", "--profile", "test", "--partition", "1",
            "--type", "EXT4", "--repo", "repo1", "--comments", "issue 16");
        defined.ExitCode.Should().Be(0, defined.Error + defined.Out);

        // The image object links to the repository's file shortly after it is defined (the file linker); until then the
        // restore is refused up front and nothing is created.
        Ogctl.Result restore = null!;
        await Eventually.Within(TimeSpan.FromSeconds(30), async () =>
        {
            restore = await Ctl(Env(1), "restore", "--scope", "aula1", "--partition", "1", "--image", "aula", "--method", "unicast", "--json");
            return restore.ExitCode == 0;
        }, () => $"the restore is accepted once the image object is linked to its file (last answer: {restore?.Error}{restore?.Out})");
        var id = JsonDocument.Parse(restore.Out).RootElement.GetProperty("id").GetString()!;

        // Both computers are downloading (some bytes, not all) when the coordinator hosting the session crashes.
        await Eventually.Within(TimeSpan.FromSeconds(60), async () =>
        {
            var jobs = (await Session(Env(0), id)).GetProperty("jobs").EnumerateArray().ToList();
            return jobs.All(j => j.GetProperty("bytes").GetInt64() > 0);
        }, "both computers' transfers are under way");
        var host = await HostOfAsync(id);
        var wasOldest = host == 0;
        var before = await Session(Env(host), id);
        before.GetProperty("outcome").ValueKind.Should().Be(JsonValueKind.Null, "the session is not over when its coordinator crashes");
        var clock = Stopwatch.StartNew();
        var crashedAt = DateTimeOffset.UtcNow;
        await _lab.CrashCoordinatorAsync(host);
        output.WriteLine($"crashed coordinator {host + 1} (the oldest: {wasOldest}), which hosted session {id}: {before}");

        // Another coordinator carries the session on to its end.
        var survivor = Env(host == 2 ? 1 : 2);
        JsonElement session = default;
        await Eventually.Within(TimeSpan.FromSeconds(120), async () =>
        {
            session = await Session(survivor, id, TimeSpan.FromSeconds(30));
            return session.GetProperty("outcome").ValueKind != JsonValueKind.Null;
        }, $"session {id} completes on a surviving coordinator");
        output.WriteLine($"session completed {clock.Elapsed.TotalSeconds:0.0} s after the crash: {session}");
        session.GetProperty("outcome").GetString().Should().Be("Succeeded", session.ToString());
        session.GetProperty("finishedAt").GetDateTimeOffset().Should().BeAfter(crashedAt, "another coordinator concluded the session");
        foreach (var job in session.GetProperty("jobs").EnumerateArray())
            job.GetProperty("status").GetString().Should().Be("Succeeded", job.ToString());
        (await HostOfAsync(id)).Should().NotBe(host, "the session's shard moved to a coordinator that runs");

        // The journal holds each computer's start and outcome once, and one end of the session.
        var pid = PersistenceIds.Session(id);
        (await Count(pid, "session.job-started")).Should().Be(2);
        (await Count(pid, "session.job-finished")).Should().Be(2, "every computer's outcome is recorded once");
        (await Count(pid, "session.finished")).Should().Be(1);

        // Nothing ran twice: each computer's runner knows one run of the job, and the partitions hold the image.
        foreach (var pc in new[] { "pc01", "pc02" })
        {
            var jobs = await _lab.Client(pc)!.System.ActorSelection("/user/" + JobRunnerSetup.ActorName)
                .Ask<JobRunnerActor.Jobs>(new JobRunnerActor.GetJobs(), TimeSpan.FromSeconds(5));
            jobs.Finished.Where(f => f.SessionId == id).Should().ContainSingle().Which.Attempt.Should().Be(1);
            var partition = _lab.ComputerFiles[pc].Partitions[0].File;
            (await LabImage.Tool("debugfs", "-R", "ls -l /", partition)).Should().Contain("blob.bin");
        }

        // The computers are online in the registry (which moved with the singletons if the oldest crashed).
        await Eventually.Within(TimeSpan.FromSeconds(60), async () =>
            (await _lab.ComputersAsync()).Count(c => c.Online) == 2, "every computer is registered with the surviving coordinators");
    }

    /// <summary>Which coordinator's session region hosts the session's entity (asked of every running coordinator).</summary>
    private async Task<int> HostOfAsync(string id)
    {
        for (var i = 0; i < _lab.Coordinators.Count; i++)
        {
            var node = _lab.Coordinators[i];
            if (_lab.IsCrashed(node)) continue;
            var region = node.App.Services.GetRequiredService<ActorRegistry>().Get<SessionRegion>();
            var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(10));
            if (state.Shards.Any(s => s.EntityIds.Contains(id))) return i;
        }
        throw new InvalidOperationException($"No coordinator hosts session {id}.");
    }

    private Dictionary<string, string> Env(int coordinator) => new()
    {
        ["OG_API"] = _lab.Coordinators[coordinator].ApiUrl.ToString(),
        ["OG_TOKEN"] = _lab.Token,
    };

    private static Task<Ogctl.Result> Ctl(Dictionary<string, string> env, params string[] args) => Ogctl.RunAsync(env, args);

    private static async Task<JsonElement> Session(Dictionary<string, string> env, string id, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var shown = await Ctl(env, "session", "show", id, "--json");
            if (shown.ExitCode == 0) return JsonDocument.Parse(shown.Out).RootElement.Clone();
            DateTime.UtcNow.Should().BeBefore(deadline, $"session show answers: {shown.Error}");
            await Task.Delay(500);
        }
    }

    private async Task<long> Count(string persistenceId, string manifest)
    {
        await using var db = new NpgsqlConnection(_postgres);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM {_schema}.journal WHERE persistence_id = @p AND manifest = @m", db);
        command.Parameters.AddWithValue("p", persistenceId);
        command.Parameters.AddWithValue("m", manifest);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private async Task Sql(string sql)
    {
        await using var db = new NpgsqlConnection(_postgres);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_lab is not null) await _lab.StopAsync();
        if (_link is not null) await _link.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        try { await Sql($"DROP SCHEMA IF EXISTS {_schema} CASCADE"); } catch (NpgsqlException) { }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
