using OgActors.Coordinator.Domain;
using OgActors.Messages.Audit;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Images;
using OgActors.Messages.Repositories;
using OgActors.Messages.Sessions;

namespace OgActors.Bench.Journal;

/// <summary>
/// A year of a campus as the coordinator journals it, made up deterministically: classrooms with their computers, images
/// with a linked file, and restore sessions over one classroom each. A session over K computers is what the real entities
/// persist for it: <c>SessionCreated</c>, K × <c>ComputerJobStarted</c>, K × <c>ComputerJobFinished</c> (every 10th
/// failed), <c>SessionFinished</c> in the session's own stream, and one <c>PartitionImageRecorded</c> per succeeded
/// computer in its classroom's stream — 3K + 2 − K/10 events. The default (34 computers per classroom, 10,000 sessions)
/// is 1,010,000 session and classroom events, plus 1,416 for the classrooms and images.
/// </summary>
public sealed class CampusHistory(int sessions, int computersPerClassroom = 34, int classrooms = 40, int images = 8)
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    public int Sessions => sessions;

    /// <summary>Events of the whole history: classrooms and images first, then every session.</summary>
    public long EventCount => Setup().Sum(s => s.Events.Count) + (long)sessions * (2 + 3L * computersPerClassroom - computersPerClassroom / 10);

    public static string SessionId(int i) => $"hist-{i:000000}";

    private static string Classroom(int c) => $"aula{c + 1:00}";
    private static string Computer(int c, int k) => $"a{c + 1:00}-pc{k + 1:00}";
    private static string Image(int i) => $"img{i + 1:00}";

    /// <summary>The classrooms' and images' streams, as (persistence id, events).</summary>
    public IEnumerable<(string PersistenceId, IReadOnlyList<IAuditedEvent> Events)> Setup()
    {
        for (var c = 0; c < classrooms; c++)
        {
            var name = Classroom(c);
            var events = new List<IAuditedEvent>
            {
                new ClassroomDefined(name, $"10.{c + 1}.0.0/24", new MulticastSettings(9000, $"239.194.{c + 1}.1", DuplexMode.Full, 100, 0, 60),
                    new P2PSettings(P2PMode.Peer, 60), "admin", Start),
            };
            for (var k = 0; k < computersPerClassroom; k++)
                events.Add(new ComputerAdded(name, Computer(c, k), $"10.{c + 1}.0.{k + 11}", $"52:54:00:{c:x2}:00:{k:x2}", "repo1", 20L << 30, "admin", Start));
            yield return (PersistenceIds.Classroom(name), events);
        }
        for (var i = 0; i < images; i++)
        {
            var canonical = Image(i);
            yield return (PersistenceIds.Image(canonical),
            [
                new ImageDefined(canonical, $"Image {i + 1}", "W11", 1, "NTFS", "repo1", "made for the benchmark", "admin", Start),
                new ImageFileLinked(canonical, "repo1", "", new ImageFileInfo("PARTCLONE", "LZOP", "NTFS", 31457280, 12L << 30, "PARTCLONE:LZOP:NTFS:31457280"),
                    "0123456789abcdef0123456789abcdef", $"{i:x2}23456789abcdef0123456789abcdef", "", 9L << 30, Start, 1, "repository:repo1", Start),
            ]);
        }
    }

    /// <summary>Session <paramref name="i"/>: its own stream's events, and the partition records its classroom gets.</summary>
    public (string Id, IReadOnlyList<ISessionEvent> Events, string Classroom, IReadOnlyList<IClassroomEvent> Recorded) Session(int i)
    {
        var id = SessionId(i);
        var c = i % classrooms;
        var room = Classroom(c);
        var image = Image(i % images);
        var at = Start.AddMinutes(50.0 * i);
        var computers = Enumerable.Range(0, computersPerClassroom).Select(k => Computer(c, k)).ToList();
        var targets = computers.Select((pc, k) => new SessionTarget(pc, room, $"10.{c + 1}.0.{k + 11}", $"52:54:00:{c:x2}:00:{k:x2}", "repo1", 20L << 30,
            JobRole.Single, 64L << 30)).ToList();
        var plan = new SessionPlan(SessionKind.Restore, image, 1, 1, "repo1", TransferMethod.Unicast, "", null, targets,
            new Dictionary<string, TransferParameters>
            {
                [room] = new(new MulticastSettings(9000, $"239.194.{c + 1}.1", DuplexMode.Full, 100, 0, 60), new P2PSettings(P2PMode.Peer, 60)),
            });
        var events = new List<ISessionEvent>(2 + 2 * computers.Count) { new SessionCreated(id, plan, "admin", at) };
        foreach (var pc in computers) events.Add(new ComputerJobStarted(id, pc, "cache", "the cached copy is identical", $"computer:{pc}", at.AddSeconds(2)));
        var recorded = new List<IClassroomEvent>();
        int ok = 0, failed = 0;
        for (var k = 0; k < computers.Count; k++)
        {
            var pc = computers[k];
            var fails = k % 10 == 9;
            events.Add(new ComputerJobFinished(id, pc, fails ? JobOutcome.Failed : JobOutcome.Succeeded, "cache", "the cached copy is identical",
                fails ? 0 : 9L << 30, TimeSpan.FromSeconds(300 + k), fails ? "partclone.ntfs exited with 1" : "", $"computer:{pc}", at.AddSeconds(300 + k),
                new RestoredContent($"{i % images:x2}23456789abcdef0123456789abcdef", 1, PartitionWritten: !fails)));
            if (fails) { failed++; continue; }
            ok++;
            recorded.Add(new PartitionImageRecorded(room, pc, 1, image, 1, id, $"session:{id}", at.AddSeconds(300 + k)));
        }
        events.Add(new SessionFinished(id, failed == 0 ? SessionOutcome.Succeeded : SessionOutcome.PartlySucceeded, ok, failed, 0, "coordinator",
            at.AddSeconds(300 + computers.Count)));
        return (id, events, room, recorded);
    }
}
