using System.CommandLine;
using System.Text.Json;
using OgActors.Coordinator.Tests.Support;
using OgActors.Ctl;
using OgActors.Ctl.Api;
using OgActors.Ctl.Commands;

namespace OgActors.Coordinator.Tests;

/// <summary>The ogctl palettes against a real coordinator API on 127.0.0.1 (ogctl runs in process).</summary>
public sealed class CtlTests
{
    private static readonly Func<CtlContext, Command>[] Palettes =
        [ClassroomCommands.Create, ImageCommands.Create, SessionCommands.Create, AuditCommands.Create, .. DeployCommands.Palettes];

    private static async Task<(int Exit, string Out, string Err)> Ogctl(DomainHost host, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var env = new CtlEnvironment(v => v switch { "OG_API" => host.ApiUrl, "OG_TOKEN" => "alice-token", _ => null },
            Path.GetTempPath(), stdout, stderr, Interactive: false);
        var exit = await CtlApp.RunAsync(args, env, Palettes);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Operators_use_the_palettes_from_ogctl()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, serializeMessages: false);

        (await Ogctl(host, "classroom", "define", "aula1", "--network", "172.17.36.0/24")).Exit.Should().Be(0);
        (await Ogctl(host, "classroom", "add-computer", "aula1", "--name", "pc01", "--ip", "172.17.36.11", "--mac", "525400123456",
            "--repo", "repo1", "--cache-size", "20G")).Exit.Should().Be(0);
        var bad = await Ogctl(host, "classroom", "add-computer", "aula1", "--name", "pc02", "--ip", "172.17.36.12", "--mac", "nope");
        bad.Exit.Should().Be(1);
        bad.Err.Trim().Should().Be("ogctl: The MAC address 'nope' is not 12 hexadecimal digits (e.g. 52:54:00:12:34:56).");
        (await Ogctl(host, "classroom", "add-computer", "aula1", "--name", "pc02", "--ip", "172.17.36.12", "--mac", "52:54:00:12:34:57",
            "--cache-size", "lots")).Err.Trim().Should().Be("ogctl: --cache-size 'lots' is not a size such as 20G, 512M or 4096.");
        (await Ogctl(host, "classroom", "set-p2p", "aula1", "--p2p-mode", "seeder", "--seed-seconds", "90")).Exit.Should().Be(0);

        var show = await Ogctl(host, "classroom", "show", "aula1");
        show.Out.Should().Contain("multicast 239.194.17.36:9000 full-duplex").And.Contain("p2p seeder, seed 90 s").And.Contain("20 GiB");
        var json = JsonDocument.Parse((await Ogctl(host, "classroom", "list", "--json")).Out).RootElement;
        json[0].GetProperty("computers")[0].GetProperty("cacheSizeBytes").GetInt64().Should().Be(20L << 30);

        await Scenario.AnnounceRepositoryAsync(host); // repo1 runs
        (await Ogctl(host, "image", "define", "--canonical", "win11", "--name", "Windows 11", "--profile", "W11", "--partition", "1",
            "--type", "NTFS", "--repo", "repo1", "--comments", "lab")).Exit.Should().Be(0);
        // pc01's agent is online and announces what it runs: restoring by unicast, not creating images
        host.System.EventStream.Publish(new Messages.Sessions.AgentAvailable("pc01", host.Kit.CreateTestProbe().Ref,
            [Messages.Sessions.JobKinds.Of(Messages.Sessions.SessionKind.Restore, Messages.Sessions.TransferMethod.Unicast)]));
        (await Ogctl(host, "image", "list")).Out.Should().Contain("win11").And.Contain("1 image(s), 1 without a file");

        var started = await Ogctl(host, "create-image", "--computer", "pc01", "--partition", "1", "--image", "win11", "--repo", "repo1");
        started.Exit.Should().Be(0);
        var id = started.Out.Split(' ')[1];
        var watched = await Ogctl(host, "session", "watch", id);
        watched.Exit.Should().Be(1); // a computer failed: the watch says so in its exit code
        watched.Err.Trim().Should().Be($"ogctl: Session {id} ended failed: pc01 failed.");
        watched.Out.Should().Contain("its agent does not announce CreateImage/Unicast").And.Contain("outcome: failed");
        (await Ogctl(host, "session", "list")).Out.Should().Contain(id);
        (await Ogctl(host, "session", "show", "nope")).Err.Trim().Should().Be("ogctl: Session nope does not exist.");
        (await Ogctl(host, "deploy", "--scope", "aula1", "--mode", "later", "--image", "win11", "--protocol", "multicast")).Err.Trim()
            .Should().Be("ogctl: --mode must be updateCache or deployImage, not 'later'.");

        var audit = await Ogctl(host, "audit", "--classroom", "aula1");
        audit.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(5) // 4 events and the count line
            .And.Subject.Last().Should().Be("4 event(s)");
        audit.Out.Should().Contain("alice  classroom aula1: defined").And.Contain($"alice  session {id}: created");
    }

    [Fact]
    public async Task Session_cancel_ends_a_waiting_session_cancelled_and_watch_exits_non_zero()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, serializeMessages: false);
        await Scenario.DefineClassroomAsync(host.Domain, "aula1", "172.17.36.0/24", "pc01", "pc02");
        await Scenario.AnnounceRepositoryAsync(host);
        await Scenario.DefineLinkedImageAsync(host.Domain, "win11");

        var bad = await Ogctl(host, "restore", "--scope", "aula1", "--partition", "1", "--image", "win11", "--method", "unicast", "--offline-timeout", "soon");
        bad.Exit.Should().Be(2);
        bad.Err.Trim().Should().Be("ogctl: --offline-timeout must be a positive duration such as 30s, 10m or 1h, not 'soon'.");
        var started = await Ogctl(host, "restore", "--scope", "aula1", "--partition", "1", "--image", "win11", "--method", "unicast", "--offline-timeout", "1h");
        started.Exit.Should().Be(0, started.Err);
        var id = started.Out.Split(' ')[1];
        (await host.Domain.SessionAsync(id))!.Plan.OfflineTimeout.Should().Be(TimeSpan.FromHours(1));

        var watch = Ogctl(host, "session", "watch", id); // no computer is online: it waits
        var cancel = await Ogctl(host, "session", "cancel", id);
        cancel.Exit.Should().Be(0, cancel.Err);
        cancel.Out.Should().Contain($"session {id} cancelled");
        var watched = await watch;
        watched.Exit.Should().Be(1);
        watched.Err.Trim().Should().Be($"ogctl: Session {id} ended cancelled: pc01 cancelled, pc02 cancelled.");
        watched.Out.Should().Contain("outcome: cancelled");
        (await Ogctl(host, "session", "cancel", id)).Err.Trim().Should().Be($"ogctl: Session {id} has already ended (cancelled).");
        (await Ogctl(host, "session", "cancel", "nope")).Err.Trim().Should().Be("ogctl: Session nope does not exist.");
        var audit = await Ogctl(host, "audit", "--json");
        audit.Out.Should().Contain("Cancelled by alice.");
    }
}
