using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Persistence;
using Akka.Persistence.Journal;
using OgActors.Coordinator.Audit;
using OgActors.Coordinator.Domain;
using OgActors.Coordinator.ReadSide;
using OgActors.Coordinator.Tests.Support;
using OgActors.Messages.Audit;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;
using OgActors.Messages.ReadSide;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Tests;

/// <summary>
/// The read side: listings projected from the tagged journal, not a replay of every entity. Pure model first, then a
/// coordinator that starts on a journal holding 2,000 historical sessions and lists them without waking one entity.
/// </summary>
public sealed class ReadSideTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_model_applies_each_event_to_the_entry_it_concerns()
    {
        var model = new ReadModel();
        long offset = 0;
        void Apply(object e) => model.Apply(e, ++offset);
        Apply(new ClassroomDefined("Aula1", "10.1.1.0/24", new MulticastSettings(9000, "239.194.1.1", DuplexMode.Full, 100, 0, 60),
            new P2PSettings(P2PMode.Peer, 60), "alice", T0));
        Apply(new ComputerAdded("Aula1", "pc01", "10.1.1.11", "52:54:00:00:00:01", "repo1", 0, "alice", T0));
        Apply(new ComputerAdded("Aula1", "pc02", "10.1.1.12", "52:54:00:00:00:02", "repo1", 0, "alice", T0));
        Apply(new ComputerRemoved("Aula1", "pc02", "alice", T0));
        foreach (var e in History.Session("s1", T0, ["pc01", "pc02", "pc03"], [JobOutcome.Succeeded, JobOutcome.Failed], finished: false)) Apply(e);
        foreach (var e in History.Session("s2", T0.AddMinutes(5), ["pc01"], [JobOutcome.Succeeded], finished: true)) Apply(e);

        var sessions = model.Sessions();
        sessions.Select(s => s.SessionId).Should().Equal("s2", "s1");
        sessions[1].Should().BeEquivalentTo(new { Computers = 3, Succeeded = 1, Failed = 1, Running = 1, Queued = 0, Outcome = (SessionOutcome?)null });
        sessions[0].Outcome.Should().Be(SessionOutcome.Succeeded);
        model.Classrooms().Select(c => c.Name).Should().Equal("Aula1");
        model.ClassroomOf("PC01")!.Name.Should().Be("Aula1");
        model.ClassroomOf("pc02").Should().BeNull("pc02 was removed");
        model.Classrooms(["aula1", "nope"], ["pc01"]).Should().ContainSingle();
        model.Offset.Should().Be(offset);
    }

    [Fact]
    public async Task Two_thousand_historical_sessions_are_listed_from_the_read_model_without_replaying_a_session()
    {
        const int count = 2_000; // bench/read-side.sh lists 10,000
        using var store = JournalStore.Sqlite();
        var expected = new List<(string Id, DateTimeOffset At)>();
        await using (var writer = await DomainHost.StartAsync(store, serializeMessages: false))
        {
            for (var chunk = 0; chunk < count / 50; chunk++)
            {
                var batch = Enumerable.Range(chunk * 50, 50).Select(i => (Id: $"hist-{i:00000}", At: T0.AddSeconds(i))).ToList();
                expected.AddRange(batch);
                await History.WriteAsync(writer, batch.Select(s => (s.Id,
                    History.Session(s.Id, s.At, ["pc01", "pc02"], [JobOutcome.Succeeded, s.Id.EndsWith('7') ? JobOutcome.Failed : JobOutcome.Succeeded], true))));
            }
        }

        // a fresh coordinator on that journal, serialize-messages on
        await using var host = await DomainHost.StartAsync(store);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var list = await host.Domain.ListSessionsAsync();
        var first = watch.Elapsed;
        watch.Restart();
        var again = await host.Domain.ReadSide.Ask<SessionSummaries>(new ListSessionSummaries(), TimeSpan.FromSeconds(30));
        var second = watch.Elapsed;

        list.Select(s => s.SessionId).Should().Equal(expected.OrderByDescending(s => s.At).Select(s => s.Id));
        list.Where(s => s.Outcome == SessionOutcome.PartlySucceeded).Should().HaveCount(count / 10);
        list.Should().OnlyContain(s => s.Computers == 2 && s.Succeeded + s.Failed == 2);
        again.Sessions.Should().HaveCount(count);
        again.Offset.Should().BeGreaterThanOrEqualTo(count * 4, "the model has read every event of the journal");

        // no session entity was started to answer: the listing did not replay the history
        var state = await host.Domain.Sessions.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(10));
        state.Shards.SelectMany(s => s.EntityIds).Should().BeEmpty();

        // a change acknowledged before the query is in the answer
        await Scenario.DefineClassroomAsync(host.Domain, "aula9", "10.9.0.0/24", "pc01");
        (await host.Domain.ListClassroomsAsync()).Select(c => c.Name).Should().Equal("aula9");
        (await host.Domain.FindComputerAsync("PC01"))!.Value.Room.Name.Should().Be("aula9");
        Console.WriteLine($"read side: {count} sessions, first listing (reads the journal) {first.TotalMilliseconds:0} ms, next {second.TotalMilliseconds:0} ms");
    }

    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_starting_read_side_loads_its_snapshot_and_reads_only_the_journal_written_after_it(string kind)
    {
        using var store = JournalStore.Create(kind);
        await using var host = await DomainHost.StartAsync(store, serializeMessages: false);
        var batch = (int from, int count) => Enumerable.Range(from, count).Select(i => (Id: $"snap-{i:0000}", At: T0.AddSeconds(i))).ToList();
        // a session whose name ends in 0 is still running (pc01 done, pc02 started); the others have ended
        var sessions = (List<(string Id, DateTimeOffset At)> ids) => ids.Select(s => s.Id.EndsWith('0')
            ? (s.Id, History.Session(s.Id, s.At, ["pc01", "pc02"], [JobOutcome.Succeeded], finished: false))
            : (s.Id, History.Session(s.Id, s.At, ["pc01", "pc02"], [JobOutcome.Succeeded, JobOutcome.Succeeded], finished: true)));
        await History.WriteAsync(host, sessions(batch(0, 300)));

        // a read side that stores its model after every catch-up
        var first = host.System.ActorOf(ReadSideActor.Props(CoordinatorDomainSetup.ReadJournalPluginId, new ReadSideSettings(SnapshotEvery: 1)), "read-side-first");
        var before = await first.Ask<SessionSummaries>(new ListSessionSummaries(), TimeSpan.FromSeconds(60));
        before.Sessions.Should().HaveCount(300);
        var snapshot = await StoredSnapshotAsync(host, before.Offset);
        snapshot.Open.Should().HaveCount(30, "the sessions whose name ends in 0 are still running");
        snapshot.Ended.Should().HaveCount(270);
        await first.GracefulStop(TimeSpan.FromSeconds(10));

        // the journal goes on; then everything the snapshot covers is removed from it
        await History.WriteAsync(host, sessions(batch(300, 20)));
        store.Execute($"DELETE FROM tags WHERE ordering_id <= {before.Offset}");
        store.Execute($"DELETE FROM journal WHERE ordering <= {before.Offset}").Should().BeGreaterThan(1_000);

        // a new read side: the first 300 sessions can only come from the snapshot, the 20 after it from the journal
        var second = host.System.ActorOf(ReadSideActor.Props(CoordinatorDomainSetup.ReadJournalPluginId, new ReadSideSettings(SnapshotEvery: 1)), "read-side-second");
        var after = await second.Ask<SessionSummaries>(new ListSessionSummaries(), TimeSpan.FromSeconds(60));
        after.Sessions.Select(s => s.SessionId).Should().Equal(batch(0, 320).OrderByDescending(s => s.At).Select(s => s.Id));
        after.Sessions.Where(s => s.Outcome is null).Should().HaveCount(32).And.OnlyContain(s => s.SessionId.EndsWith('0') && s.Running == 1);
        after.Offset.Should().BeGreaterThan(before.Offset);

        // a snapshot of another layout is not used: the model is read from what is left of the journal
        await second.GracefulStop(TimeSpan.FromSeconds(10));
        var layout = await StoredSnapshotAsync(host, after.Offset);
        var snapshots = Akka.Persistence.Persistence.Instance.Apply(host.System).SnapshotStoreFor(null);
        var probe = host.Kit.CreateTestProbe();
        snapshots.Tell(new SaveSnapshot(new SnapshotMetadata(ReadSideActor.SnapshotId, after.Offset + 1, DateTime.UtcNow),
            layout with { Format = ReadModel.SnapshotFormat + 1, Offset = after.Offset + 1 }), probe.Ref);
        await probe.ExpectMsgAsync<SaveSnapshotSuccess>(TimeSpan.FromSeconds(30));
        var third = host.System.ActorOf(ReadSideActor.Props(CoordinatorDomainSetup.ReadJournalPluginId), "read-side-third");
        (await third.Ask<SessionSummaries>(new ListSessionSummaries(), TimeSpan.FromSeconds(60))).Sessions.Select(s => s.SessionId)
            .Should().BeEquivalentTo(batch(300, 20).Select(s => s.Id), "only the journal after the deleted rows is left");
    }

    /// <summary>Waits until the read side's latest stored snapshot has reached <paramref name="offset"/>.</summary>
    private static async Task<ReadModelSnapshot> StoredSnapshotAsync(DomainHost host, long offset)
    {
        var snapshots = Akka.Persistence.Persistence.Instance.Apply(host.System).SnapshotStoreFor(null);
        var probe = host.Kit.CreateTestProbe();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            snapshots.Tell(new LoadSnapshot(ReadSideActor.SnapshotId, SnapshotSelectionCriteria.Latest, long.MaxValue), probe.Ref);
            var loaded = await probe.ExpectMsgAsync<LoadSnapshotResult>(TimeSpan.FromSeconds(30));
            if (loaded.Snapshot?.Snapshot is ReadModelSnapshot s && s.Offset >= offset)
            {
                loaded.Snapshot.Metadata.SequenceNr.Should().Be(s.Offset, "a snapshot is stored under the offset it has read to");
                return s;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No snapshot of the read side at offset {offset} was stored.");
    }

    /// <summary>Historical sessions written straight into the journal, tagged as the coordinator tags them.</summary>
    private static class History
    {
        public static IReadOnlyList<ISessionEvent> Session(string id, DateTimeOffset at, IReadOnlyList<string> computers,
            IReadOnlyList<JobOutcome> outcomes, bool finished)
        {
            var targets = computers.Select(pc => new SessionTarget(pc, "aula1", "10.0.0.1", "52:54:00:00:00:01", "repo1", 0, JobRole.Single)).ToList();
            var plan = new SessionPlan(SessionKind.Restore, "win11", 1, 1, "", TransferMethod.Unicast, "", null, targets,
                new Dictionary<string, TransferParameters>());
            var events = new List<ISessionEvent> { new SessionCreated(id, plan, "alice", at) };
            for (var i = 0; i < outcomes.Count; i++)
                events.Add(new ComputerJobFinished(id, computers[i], outcomes[i], "cache", "", 1, TimeSpan.FromSeconds(1), "", computers[i], at));
            if (computers.Count > outcomes.Count) events.Add(new ComputerJobStarted(id, computers[outcomes.Count], "cache", "", "x", at));
            if (finished)
            {
                int ok = outcomes.Count(o => o == JobOutcome.Succeeded), failed = outcomes.Count - ok;
                events.Add(new SessionFinished(id, failed == 0 ? SessionOutcome.Succeeded : ok > 0 ? SessionOutcome.PartlySucceeded : SessionOutcome.Failed,
                    ok, failed, 0, "coordinator", at));
            }
            return events;
        }

        public static async Task WriteAsync(DomainHost host, IEnumerable<(string Id, IReadOnlyList<ISessionEvent> Events)> sessions)
        {
            var writes = sessions.Select(s => (IPersistentEnvelope)new AtomicWrite(s.Events.Select((e, i) =>
                (IPersistentRepresentation)new Persistent(new Tagged(e, AuditTags.Of(e)), i + 1, PersistenceIds.Session(s.Id), writerGuid: "history"))
                .ToImmutableList())).ToList();
            var probe = host.Kit.CreateTestProbe();
            Akka.Persistence.Persistence.Instance.Apply(host.System).JournalFor(null).Tell(new WriteMessages(writes, probe.Ref, 1));
            var done = await probe.FishForMessageAsync(m => m is WriteMessagesSuccessful or WriteMessagesFailed, TimeSpan.FromSeconds(60));
            done.Should().BeOfType<WriteMessagesSuccessful>((done as WriteMessagesFailed)?.Cause.ToString());
        }
    }
}
