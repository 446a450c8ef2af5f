using Akka.Streams;
using Akka.Streams.Dsl;
using OgActors.Coordinator.Audit;
using OgActors.Coordinator.Sessions;
using OgActors.Coordinator.Tests.Support;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;
using OgActors.Messages.Images;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Tests;

/// <summary>The audit timeline, replayed from the journal by tag, tells what happened, who did it and when.</summary>
public sealed class AuditTests
{
    [Fact]
    public async Task The_timeline_of_a_small_scenario_matches_what_happened()
    {
        using var store = JournalStore.Sqlite();
        var start = DateTimeOffset.UtcNow;
        string session;
        DateTimeOffset afterSetup;
        await using (var host = await DomainHost.StartAsync(store))
        {
            var d = host.Domain;
            await Scenario.DefineClassroomAsync(d, "lab", "172.17.36.0/24", "pc01", "pc02");
            (await d.AskAsync(new SetMulticastDefaults("lab", 9002, null, null, null, null, null, "carol"))).Should().BeOfType<Accepted>();
            await Scenario.AnnounceRepositoryAsync(host);
            await Scenario.DefineLinkedImageAsync(d, "win11");
            (await d.AskAsync(new RemoveComputer("lab", "pc02", "carol"))).Should().BeOfType<Accepted>();
            (await d.AskAsync(new DefineClassroom("other", "10.0.0.0/24", "dave"))).Should().BeOfType<Accepted>();
            await Task.Delay(20);
            afterSetup = DateTimeOffset.UtcNow;
            // pc01's agent is online and runs unicast only: a torrent restore fails at once for it
            host.System.EventStream.Publish(new AgentAvailable("pc01", host.Kit.CreateTestProbe().Ref, [JobKinds.Of(SessionKind.Restore, TransferMethod.Unicast)]));
            session = ((Accepted)await d.Planner.StartAsync(new SessionRequest(SessionKind.Restore, Computers: ["pc01"], Image: "win11",
                Partition: 1, Method: TransferMethod.Torrent), "erin")).Id!;
            await WaitUntil(async () => (await d.SessionAsync(session))?.Outcome is not null);
        }

        // Replayed by a fresh coordinator, straight from the journal (see DomainHost: tag queries need serialize-messages off).
        await using var again = await DomainHost.StartAsync(store, serializeMessages: false);
        var audit = again.Domain.Audit;

        var classroom = await audit.ReplayAsync(new AuditFilter(Classroom: "lab"));
        classroom.Select(e => (e.By, e.Subject, e.Action)).Should().Equal(
            ("alice", "classroom lab", "defined"),
            ("alice", "classroom lab", "computer added"),
            ("alice", "classroom lab", "computer added"),
            ("carol", "classroom lab", "multicast defaults changed"),
            ("carol", "classroom lab", "computer removed"),
            ("erin", $"session {session}", "created"));
        classroom[0].Details.Should().Be("network 172.17.36.0/24; multicast 239.194.17.36:9000; p2p peer");
        classroom.Should().BeInAscendingOrder(e => e.Offset).And.OnlyContain(e => e.At >= start);

        var computer = await audit.ReplayAsync(new AuditFilter(Computer: "PC01"));
        computer.Select(e => e.Action).Should().Equal("computer added", "created", "job failed");
        computer[2].Details.Should().Be("pc01: Restoring by torrent cannot run on pc01: its agent does not announce Restore/Torrent " +
            "(torrent needs aria2 on the computer); it announces Restore/Unicast.");

        var image = await audit.ReplayAsync(new AuditFilter(Image: "win11"));
        image.Select(e => (e.By, e.Action)).Should().Equal(("bob", "defined"), ("repository:repo1", "file linked"), ("erin", "created"));
        image[1].Details.Should().Contain("PARTCLONE:LZOP:NTFS:72100000").And.Contain("revision 1");

        var since = await audit.ReplayAsync(new AuditFilter(Since: afterSetup));
        since.Select(e => e.Action).Should().Equal("created", "job failed", "finished");
        since[2].Details.Should().Be("Failed: 0 succeeded, 1 failed, 0 skipped");

        (await audit.ReplayAsync(new AuditFilter(Classroom: "lab", Computer: "pc02"))).Select(e => e.Action)
            .Should().Equal("computer added", "computer removed");
        (await audit.ReplayAsync(new AuditFilter())).Should().HaveCount(11);
    }

    [Fact]
    public async Task Follow_streams_new_events_live()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, serializeMessages: false);
        (await host.Domain.AskAsync(new DefineClassroom("before", "10.0.0.0/24", "alice"))).Should().BeOfType<Accepted>();

        var live = host.Domain.Audit.Follow(new AuditFilter(Image: "later")).Take(2)
            .RunWith(Sink.Seq<Messages.Audit.AuditEntry>(), host.System.Materializer());
        await Task.Delay(500);
        (await host.Domain.AskAsync(new DefineImage("later", "Later", "Ubuntu", 2, "EXT4", "repo1", "made now", "frank")))
            .Should().BeOfType<Accepted>();
        (await host.Domain.AskAsync(new DeleteImage("later", "grace"))).Should().BeOfType<Accepted>();

        var entries = await live.WaitAsync(TimeSpan.FromSeconds(15));
        entries.Select(e => (e.By, e.Action)).Should().Equal(("frank", "defined"), ("grace", "deleted"));
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++) await Task.Delay(100);
    }
}
