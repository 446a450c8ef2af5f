using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OgActors.Coordinator.Hosting;
using OgActors.Coordinator.Operations;
using OgActors.Hosting.Configuration;
using OgActors.Imaging.Pipelines;
using OgActors.Messages.Audit;
using OgActors.RepositoryNode.Hosting;

namespace OgActors.Coordinator.Tests;

/// <summary>
/// Cluster operations, imports and file deletions in the audit, with who did them: a real coordinator (SQLite journal in its
/// data dir, the operator API with per-operator tokens) and a real repository node; every refusal, success and end is an
/// event of the operations ledger, replayed by a restarted coordinator from the same journal file.
/// </summary>
public sealed class OperationsAuditTests : IAsyncLifetime
{
    private const string AdminToken = "admin-token-0123456789";
    private readonly string _data = Directory.CreateTempSubdirectory("og-ops-audit-").FullName;
    private CoordinatorNode? _coordinator;
    private RepositoryNodeHost? _repository;

    private static string Quote(string s) => JsonSerializer.Serialize(s);

    private Task<CoordinatorNode> StartCoordinatorAsync(bool strict) =>
        CoordinatorNode.StartAsync(OgConfiguration.Build(NodeRole.Coordinator, null, $$"""
            og.node { hostname = "127.0.0.1", port = 0, data-dir = {{Quote(Path.Combine(_data, "coordinator"))}} }
            og.tls.enabled = off
            og.cluster.seed-nodes = []
            og.coordinator.api {
              url = "http://127.0.0.1:0", token = "{{AdminToken}}"
              operators { alice = "alice-token-0123456789", bob = "bob-token-01234567890" }
            }
            """, strict ? "akka.actor.serialize-messages = on\nakka.loglevel = WARNING" : "akka.loglevel = WARNING"), CoordinatorModules.Default);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_repository is not null) await _repository.DisposeAsync();
        if (_coordinator is not null) await _coordinator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    private static HttpClient Api(CoordinatorNode coordinator, string token)
    {
        var http = new HttpClient { BaseAddress = coordinator.ApiUrl, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    [Fact]
    public async Task Cluster_operations_imports_and_file_deletions_are_audited_with_who_and_outcome_across_a_restart()
    {
        _coordinator = await StartCoordinatorAsync(strict: true);
        _repository = await RepositoryNodeHost.StartAsync(OgConfiguration.Build(NodeRole.Repository, null, $$"""
            og.node { hostname = "127.0.0.1", port = 0, data-dir = {{Quote(Path.Combine(_data, "repository"))}} }
            og.tls.enabled = off
            og.cluster.seed-nodes = [{{Quote(_coordinator.Cluster.SelfAddress.ToString())}}]
            og.repository { name = "repo1", images-dir = {{Quote(Path.Combine(_data, "images"))}}, http-url = "http://127.0.0.1:0", settle-time = 300ms }
            """, "akka.actor.serialize-messages = on\nakka.loglevel = WARNING"), RepositoryModules.Default);
        await _repository.WaitUntilUpAsync(TimeSpan.FromSeconds(30));
        var coordinatorAddress = _coordinator.Cluster.SelfAddress;
        var repositoryAddress = _repository.Cluster.SelfAddress;
        using var alice = Api(_coordinator, "alice-token-0123456789");
        using var bob = Api(_coordinator, "bob-token-01234567890");
        using var admin = Api(_coordinator, AdminToken);
        await Until(async () => (await admin.GetStringAsync("api/repositories")).Contains("\"repo1\""));
        await LedgerUpAsync(_coordinator);

        // Cluster operations: refused by the guard (the last coordinator), refused for an unknown member, done.
        (await alice.PostAsJsonAsync("api/cluster/down", new { address = $"{coordinatorAddress.Host}:{coordinatorAddress.Port}" }))
            .StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await alice.PostAsJsonAsync("api/cluster/leave", new { address = coordinatorAddress.ToString() }))
            .StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await alice.PostAsJsonAsync("api/cluster/down", new { address = "10.9.9.9:4053", force = true }))
            .StatusCode.Should().Be(HttpStatusCode.NotFound);

        // Imports: one done, one refused by the repository.
        var image = await MakeImageAsync();
        var imported = await bob.PostAsJsonAsync("api/images/import", new { path = image, name = "win" });
        imported.StatusCode.Should().Be(HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());
        var missing = Path.Combine(_data, "nowhere", "x.img");
        (await bob.PostAsJsonAsync("api/images/import", new { path = missing })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await bob.PostAsJsonAsync("api/images/import", new { path = " " })).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        // File deletions: the repository that holds it (found by the API), then again: it has none.
        await Until(async () => (await admin.GetStringAsync("api/repositories/repo1/images")).Contains("\"Ready\""));
        var deleted = await admin.DeleteAsync("api/images/win");
        deleted.StatusCode.Should().Be(HttpStatusCode.OK, await deleted.Content.ReadAsStringAsync());
        (await admin.DeleteAsync("api/images/win?repo=repo1")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // The repository is asked to leave: done (it is not a coordinator).
        (await alice.PostAsJsonAsync("api/cluster/leave", new { address = repositoryAddress.ToString() }))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);

        await _repository.DisposeAsync();
        _repository = null;
        await _coordinator.DisposeAsync();
        _coordinator = null;

        // A restarted coordinator on the same journal file: the ledger recovers, the audit replays every step (serialize-messages
        // off here only, as in DomainHost: Akka.Persistence.Sql's tag-query internals do not survive it).
        _coordinator = await StartCoordinatorAsync(strict: false);
        using var again = Api(_coordinator, AdminToken);
        var all = (await again.GetFromJsonAsync<JsonElement[]>("api/audit"))!
            .Where(e => e.GetProperty("tags").EnumerateArray().Any(t => t.GetString() == "operations")).ToList();
        var coordinatorMember = $"cluster member {coordinatorAddress}";
        all.Select(e => (By(e), S(e, "subject"), S(e, "action"))).Should().Equal(
            ("alice", coordinatorMember, "down refused"),
            ("alice", coordinatorMember, "leave refused"),
            ("alice", "cluster member 10.9.9.9:4053", "down refused"),
            ("bob", "repositories", "import started"),
            ("bob", "repository repo1", "imported"),
            ("bob", "repositories", "import started"),
            ("bob", "repositories", "import refused"),
            ("bob", "repositories", "import started"),
            ("bob", "repositories", "import refused"),
            ("admin", "repository repo1", "image file deletion started"),
            ("admin", "repository repo1", "image file deleted"),
            ("admin", "repository repo1", "image file deletion started"),
            ("admin", "repository repo1", "image file deletion refused"),
            ("alice", $"cluster member {repositoryAddress}", "asked to leave"));
        S(all[0], "details").Should().Be($"{coordinatorAddress} (coordinator): {coordinatorAddress} is the last coordinator; downing it leaves the cluster with no coordinator (use --force to do it anyway).");
        S(all[2], "details").Should().Be("10.9.9.9:4053, forced: No cluster member has the address '10.9.9.9:4053'; see 'ogctl cluster show'.");
        S(all[4], "details").Should().StartWith($"{image} as win: Imported win (PARTCLONE:LZOP:EXTFS:");
        S(all[6], "details").Should().Be($"{missing}: {missing} does not exist on this repository node.");
        S(all[8], "details").Should().Be("(no path): Say which path to import.");
        S(all[10], "details").Should().Be("win.img, kept as .ant: Deleted win.img (kept as the previous version, .ant).");
        S(all[12], "details").Should().Be("win.img, kept as .ant: Repository repo1 has no image win.");
        S(all[13], "details").Should().Be($"{repositoryAddress} (repository): {repositoryAddress} is leaving the cluster.");

        // The image filter finds its import and its deletions (beside the file linked / unlinked the repository announced).
        var byImage = (await again.GetFromJsonAsync<JsonElement[]>("api/audit?image=win"))!;
        byImage.Select(e => S(e, "action")).Should().Contain(["file linked", "file unlinked"]);
        byImage.Where(e => e.GetProperty("tags").EnumerateArray().Any(t => t.GetString() == "operations")).Select(e => S(e, "action"))
            .Should().Equal("import started", "imported", "image file deletion started", "image file deleted",
                "image file deletion started", "image file deletion refused");

        // ogctl audit --repo repo1: the repository's imports and deletions (not the cluster operations, not other repositories').
        var output = new StringWriter();
        var env = new OgActors.Ctl.Api.CtlEnvironment(_ => null, _data, output, new StringWriter(), Interactive: false);
        (await OgActors.Ctl.CtlApp.RunAsync(["audit", "--repo", "repo1", "--api", _coordinator.ApiUrl.ToString(), "--token", AdminToken],
            env, OgActors.Ctl.CtlApp.Palettes)).Should().Be(0, output.ToString());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Where(l => l.Contains("  repository repo1: ")).Should().HaveCount(5, output.ToString());
        lines.Should().Contain(l => l.Contains("bob  repository repo1: imported — ")).And.Contain(l => l.Contains("admin  repository repo1: image file deleted — "));
        lines.Should().NotContain(l => l.Contains("cluster member"));

        var ledger = _coordinator.App.Services.GetRequiredService<ActorRegistry>().Get<OperationLedger>();
        var view = await ledger.Ask<OperationLedgerView>(new GetOperations(), TimeSpan.FromSeconds(20));
        view.Recorded.Should().Be(14);
        view.UnderWay.Should().BeEmpty("every started operation ended");
    }

    [Fact]
    public async Task Downing_the_unreachable_coordinator_that_hosts_the_ledger_is_done_at_once_and_recorded_once_the_ledger_moved()
    {
        // A is the oldest coordinator, so it hosts the ledger singleton; it dies without leaving (its ActorSystem terminates
        // without the coordinated shutdown). B is left; its split-brain resolver waits long enough that only the operator downs A
        // (and its singletons take over 2 s after A is removed, the down-removal margin, instead of after that long wait).
        var a = await CoordinatorNode.StartAsync(OgConfiguration.Build(NodeRole.Coordinator, null, $$"""
            og.node { hostname = "127.0.0.1", port = 0, data-dir = {{Quote(Path.Combine(_data, "a"))}} }
            og.tls.enabled = off
            og.cluster.seed-nodes = []
            og.coordinator.api { url = "http://127.0.0.1:0", token = "{{AdminToken}}" }
            akka.coordinated-shutdown.run-by-actor-system-terminate = off
            akka.cluster.run-coordinated-shutdown-when-down = off
            akka.cluster.split-brain-resolver.stable-after = 300s
            """, "akka.loglevel = ERROR"), CoordinatorModules.Default);
        try
        {
            await LedgerUpAsync(a);
            _coordinator = await CoordinatorNode.StartAsync(OgConfiguration.Build(NodeRole.Coordinator, null, $$"""
                og.node { hostname = "127.0.0.1", port = 0, data-dir = {{Quote(Path.Combine(_data, "b"))}} }
                og.tls.enabled = off
                og.cluster.seed-nodes = [{{Quote(a.Cluster.SelfAddress.ToString())}}]
                og.coordinator.api { url = "http://127.0.0.1:0", token = "{{AdminToken}}", operators { alice = "alice-token-0123456789" } }
                akka.cluster.split-brain-resolver.stable-after = 300s
                akka.cluster.down-removal-margin = 2s
                """, "akka.loglevel = ERROR"), CoordinatorModules.Default);
            await _coordinator.WaitUntilUpAsync(TimeSpan.FromSeconds(60));
            await LedgerUpAsync(_coordinator);
            var dead = a.Cluster.SelfAddress;
            await a.System.Terminate();

            using var alice = Api(_coordinator, "alice-token-0123456789");
            await Until(async () => (await alice.GetStringAsync("api/cluster")).Contains("\"unreachable\""), TimeSpan.FromSeconds(60));
            var down = await alice.PostAsJsonAsync("api/cluster/down", new { address = dead.ToString() });
            var body = await down.Content.ReadAsStringAsync();
            down.StatusCode.Should().Be(HttpStatusCode.Accepted, "downing the unreachable member is what un-wedges the cluster: " + body);
            body.Should().Contain("The audit records it once it is reachable again.");

            JsonElement[] downed = [];
            await Until(async () =>
            {
                downed = [.. (await alice.GetFromJsonAsync<JsonElement[]>("api/audit"))!.Where(e => S(e, "action") == "downed")];
                return downed.Length > 0;
            }, TimeSpan.FromSeconds(90), async () =>
            {
                return $"cluster: {await alice.GetStringAsync("api/cluster")}; audit: {await alice.GetStringAsync("api/audit")}";
            });
            downed.Should().ContainSingle();
            By(downed[0]).Should().Be("alice");
            S(downed[0], "subject").Should().Be($"cluster member {dead}");
            // Recorded once: by the first ask (delivered once the singleton moved) or by the late retry, which then says so.
            S(downed[0], "details").Should().StartWith($"{dead} (coordinator): {dead} was marked down.");
        }
        finally
        {
            try { await a.DisposeAsync(); } catch (Exception) { /* its ActorSystem is already gone */ }
        }
    }

    /// <summary>The ledger singleton answers once the coordinator is an Up member (operations before that are refused with 503).</summary>
    private static async Task LedgerUpAsync(CoordinatorNode coordinator)
    {
        await coordinator.WaitUntilUpAsync(TimeSpan.FromSeconds(60));
        var ledger = coordinator.App.Services.GetRequiredService<ActorRegistry>().Get<OperationLedger>();
        await ledger.Ask<OperationLedgerView>(new GetOperations(), TimeSpan.FromSeconds(60));
    }

    private static string S(JsonElement e, string name) => e.GetProperty(name).GetString()!;
    private static string By(JsonElement e) => S(e, "by");

    private async Task<string> MakeImageAsync()
    {
        var content = Directory.CreateDirectory(Path.Combine(_data, "content")).FullName;
        await File.WriteAllTextAsync(Path.Combine(content, "readme.txt"), string.Concat(Enumerable.Repeat("operations audit\n", 20_000)));
        var partition = Path.Combine(_data, "model.ext4");
        Run("truncate", "-s", "8M", partition);
        Run("mkfs.ext4", "-q", "-F", "-d", content, partition);
        var image = Path.Combine(_data, "incoming", "win.img");
        Directory.CreateDirectory(Path.GetDirectoryName(image)!);
        await CapturePipeline.CaptureToFileAsync(partition, image);
        return image;
    }

    private static void Run(string tool, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"{tool} {string.Join(' ', args)}: {error}");
    }

    private static async Task Until(Func<Task<bool>> condition, TimeSpan? within = null, Func<Task<string>>? explain = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"The condition did not come true in {(within ?? TimeSpan.FromSeconds(30)).TotalSeconds} s."
            + (explain is null ? "" : " " + await explain()));
    }
}
