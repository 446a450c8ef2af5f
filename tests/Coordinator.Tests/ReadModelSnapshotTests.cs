using Akka.Actor;
using Akka.Configuration;
using OgActors.Coordinator.ReadSide;
using OgActors.Hosting.Serialization;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Images;
using OgActors.Messages.ReadSide;
using OgActors.Messages.Repositories;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Tests;

/// <summary>
/// The read model's snapshot (what a starting coordinator loads instead of reading the whole journal): a model restored
/// from it, after our serializer, answers every listing as the model it was taken from, and goes on applying events the
/// same way — a running session stays open, an ended one stays a listing line.
/// </summary>
public sealed class ReadModelSnapshotTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly ActorSystem _system = ActorSystem.Create("read-model-snapshot", ConfigurationFactory.ParseString(SerializationSetup.Hocon));

    [Fact]
    public void A_model_restored_from_its_snapshot_answers_and_continues_as_the_original()
    {
        var (model, next) = Campus();
        var snapshot = model.ToSnapshot();
        snapshot.Offset.Should().Be(model.Offset);
        snapshot.Ended.Select(s => s.SessionId).Should().BeEquivalentTo(["s1", "s3"]);
        snapshot.Open.Select(o => o.Created.SessionId).Should().BeEquivalentTo(["s2"]);

        var restored = ReadModel.FromSnapshot(RoundTrip(snapshot))!;
        restored.Should().NotBeNull();
        SameListings(restored, model);
        restored.Offset.Should().Be(model.Offset);
        restored.Applied.Should().Be(0, "nothing was read from the journal yet");

        // the running session goes on in both: its last job ends, then the session
        var more = new object[]
        {
            new ComputerJobFinished("s2", "pc02", JobOutcome.Succeeded, "unicast", "", 5, TimeSpan.FromSeconds(9), "", "computer:pc02", T0.AddHours(2)),
            new SessionFinished("s2", SessionOutcome.PartlySucceeded, 1, 1, 0, "coordinator", T0.AddHours(2)),
            new ComputerRemoved("Aula1", "pc03", "alice", T0.AddHours(2)),
        };
        foreach (var e in more) { model.Apply(e, ++next); restored.Apply(e, next); }
        SameListings(restored, model);
        restored.Sessions().Single(s => s.SessionId == "s2").Should().BeEquivalentTo(new { Outcome = (SessionOutcome?)SessionOutcome.PartlySucceeded, Succeeded = 1, Failed = 1, Running = 0 });
        restored.ToSnapshot().Open.Should().BeEmpty("every session has ended");
        restored.ClassroomOf("pc03").Should().BeNull();
        restored.Applied.Should().Be(3);
    }

    [Fact]
    public void A_snapshot_of_another_layout_is_not_used()
    {
        var (model, _) = Campus();
        ReadModel.FromSnapshot(model.ToSnapshot() with { Format = ReadModel.SnapshotFormat + 1 }).Should().BeNull();
    }

    [Fact]
    public void An_empty_model_round_trips()
    {
        var restored = ReadModel.FromSnapshot(RoundTrip(new ReadModel().ToSnapshot()))!;
        restored.Sessions().Should().BeEmpty();
        restored.Classrooms().Should().BeEmpty();
        restored.Images().Should().BeEmpty();
        restored.Offset.Should().Be(0);
    }

    [Fact]
    public void An_ended_session_keeps_its_line_and_later_events_of_it_change_nothing()
    {
        var model = new ReadModel();
        var (created, rest) = Session("s1", T0, ["pc01"], finished: true);
        model.Apply(created, 1);
        var offset = 1L;
        foreach (var e in rest) model.Apply(e, ++offset);
        var line = model.Sessions().Single();
        line.Outcome.Should().Be(SessionOutcome.Succeeded);

        // a stray event of an ended session (an old journal, a duplicate): the line stays
        model.Apply(new ComputerJobFinished("s1", "pc01", JobOutcome.Failed, "cache", "", 0, TimeSpan.Zero, "late", "x", T0), ++offset);
        model.Sessions().Single().Should().Be(line);
        model.Offset.Should().Be(offset);
        model.SessionCount.Should().Be(1);
    }

    [Fact]
    public void The_listing_is_newest_first_and_a_change_reorders_it()
    {
        var model = new ReadModel();
        long offset = 0;
        foreach (var (id, at) in new[] { ("a", T0.AddMinutes(2)), ("b", T0), ("c", T0.AddMinutes(1)) })
            model.Apply(Session(id, at, ["pc01"], finished: false).Created, ++offset);
        model.Sessions().Select(s => s.SessionId).Should().Equal("a", "c", "b");
        model.Sessions().Should().BeSameAs(model.Sessions(), "an unchanged model answers the listing it already made");
        model.Apply(new ComputerJobStarted("b", "pc01", "cache", "", "computer:pc01", T0), ++offset);
        model.Sessions().Single(s => s.SessionId == "b").Running.Should().Be(1, "a change is in the next listing");
    }

    /// <summary>Two classrooms, an image with a file, three sessions (two ended, one running).</summary>
    private static (ReadModel Model, long Offset) Campus()
    {
        var model = new ReadModel();
        long offset = 0;
        void Apply(object e) => model.Apply(e, ++offset);
        foreach (var (room, net) in new[] { ("Aula1", "10.1.1.0/24"), ("Aula2", "10.1.2.0/24") })
            Apply(new ClassroomDefined(room, net, new MulticastSettings(9000, "239.194.1.1", DuplexMode.Full, 100, 0, 60), new P2PSettings(P2PMode.Peer, 60), "alice", T0));
        Apply(new ComputerAdded("Aula1", "pc01", "10.1.1.11", "52:54:00:00:00:01", "repo1", 0, "alice", T0));
        Apply(new ComputerAdded("Aula1", "pc02", "10.1.1.12", "52:54:00:00:00:02", "repo1", 0, "alice", T0));
        Apply(new ComputerAdded("Aula1", "pc03", "10.1.1.13", "52:54:00:00:00:03", "repo1", 0, "alice", T0));
        Apply(new ComputerAdded("Aula2", "pc21", "10.1.2.11", "52:54:00:00:02:01", "repo1", 0, "alice", T0));
        Apply(new PartitionImageRecorded("Aula1", "pc01", 1, "win11", 1, "s1", "session:s1", T0));
        Apply(new ImageDefined("win11", "Windows 11", "W11", 1, "NTFS", "repo1", "", "alice", T0));
        Apply(new ImageFileLinked("win11", "repo1", "", new ImageFileInfo("PARTCLONE", "LZOP", "NTFS", 1, 1, "PARTCLONE:LZOP:NTFS:1"),
            "s", "f00d", "h", 1, T0, 1, "repository:repo1", T0));
        Apply(new ImageDefined("ubuntu", "Ubuntu", "U24", 2, "EXT4", "repo1", "", "alice", T0));
        Apply(new ImageDeleted("ubuntu", "alice", T0));
        foreach (var (id, at, pcs, finished) in new[] { ("s1", T0, new[] { "pc01" }, true), ("s3", T0.AddMinutes(30), ["pc21"], true), ("s2", T0.AddHours(1), ["pc01", "pc02"], false) })
        {
            var (created, rest) = Session(id, at, pcs, finished);
            Apply(created);
            foreach (var e in rest) Apply(e);
        }
        // s2 is running: pc01 failed, pc02 started
        Apply(new ComputerJobStarted("s2", "pc02", "unicast", "no cached copy", "computer:pc02", T0.AddHours(1)));
        Apply(new ComputerJobFinished("s2", "pc01", JobOutcome.Failed, "unicast", "", 0, TimeSpan.FromSeconds(3), "disk full", "computer:pc01", T0.AddHours(1)));
        return (model, offset);
    }

    private static (SessionCreated Created, IReadOnlyList<ISessionEvent> Events) Session(string id, DateTimeOffset at, IReadOnlyList<string> computers, bool finished)
    {
        var targets = computers.Select(pc => new SessionTarget(pc, "Aula1", "10.1.1.11", "52:54:00:00:00:01", "repo1", 0, JobRole.Single)).ToList();
        var plan = new SessionPlan(SessionKind.Restore, "win11", 1, 1, "", TransferMethod.Unicast, "", null, targets, new Dictionary<string, TransferParameters>());
        var rest = new List<ISessionEvent>();
        if (finished)
        {
            foreach (var pc in computers) rest.Add(new ComputerJobStarted(id, pc, "cache", "", "computer:" + pc, at));
            foreach (var pc in computers) rest.Add(new ComputerJobFinished(id, pc, JobOutcome.Succeeded, "cache", "", 1, TimeSpan.FromSeconds(1), "", "computer:" + pc, at));
            rest.Add(new SessionFinished(id, SessionOutcome.Succeeded, computers.Count, 0, 0, "coordinator", at));
        }
        return (new SessionCreated(id, plan, "alice", at), rest);
    }

    private ReadModelSnapshot RoundTrip(ReadModelSnapshot snapshot)
    {
        var serializer = _system.Serialization.FindSerializerFor(snapshot);
        serializer.Should().BeOfType<OgActors.Messages.Serialization.OgMessageSerializer>();
        var og = (Akka.Serialization.SerializerWithStringManifest)serializer;
        return (ReadModelSnapshot)og.FromBinary(og.ToBinary(snapshot), og.Manifest(snapshot));
    }

    private static void SameListings(ReadModel actual, ReadModel expected)
    {
        actual.Sessions().Should().BeEquivalentTo(expected.Sessions(), o => o.WithStrictOrdering());
        actual.Classrooms().Should().BeEquivalentTo(expected.Classrooms(), o => o.WithStrictOrdering());
        actual.Images().Should().BeEquivalentTo(expected.Images(), o => o.WithStrictOrdering());
        foreach (var pc in new[] { "pc01", "PC02", "pc03", "pc21", "nope" })
            (actual.ClassroomOf(pc)?.Name).Should().Be(expected.ClassroomOf(pc)?.Name, pc);
        actual.SessionCount.Should().Be(expected.SessionCount);
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));
}
