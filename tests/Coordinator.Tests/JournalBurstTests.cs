using Akka.Actor;
using Akka.Persistence;
using OgActors.Coordinator.Audit;
using OgActors.Coordinator.Tests.Support;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Tests;

/// <summary>
/// A session's burst of job events reaches the journal as one write of hundreds of tagged events, which the journal inserts
/// as several statements (JournalTuning: 100 rows each) and then tags by the orderings each statement returns. Every event
/// must keep its own tags, on both journals.
/// </summary>
public sealed class JournalBurstTests
{
    private const int Events = 250; // three statements: 100 + 100 + 50 rows

    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task One_write_of_250_tagged_events_keeps_each_events_own_tags(string kind)
    {
        using var store = JournalStore.Create(kind);
        var at = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(1, Events)
            .Select(i => new ComputerJobStarted("burst", $"pc{i:000}", "cache", $"event {i}", $"computer:pc{i:000}", at)).ToList();
        await using (var host = await DomainHost.StartAsync(store))
        {
            var writer = host.System.ActorOf(Props.Create(() => new BurstWriter(events)));
            (await writer.Ask<int>(BurstWriter.Write, TimeSpan.FromSeconds(30))).Should().Be(Events);
        }

        // Read back by tag by a fresh coordinator (see DomainHost: tag queries need serialize-messages off).
        await using var again = await DomainHost.StartAsync(store, serializeMessages: false);
        foreach (var i in new[] { 1, 99, 100, 101, 200, 201, 250 })
        {
            var entries = await again.Domain.Audit.ReplayAsync(new AuditFilter(Computer: $"pc{i:000}"));
            entries.Select(e => e.Details).Should().Equal([$"pc{i:000}: cache (event {i})"], $"pc{i:000} has exactly its own event");
        }
        var all = await again.Domain.Audit.ReplayAsync(new AuditFilter());
        all.Select(e => e.Details).Should().Equal(events.Select(e => $"{e.Computer}: cache ({e.Reason})"), "the journal keeps the write's order");
    }

    /// <summary>Persists all its events in one call, so they reach the journal as one write; answers how many were written.</summary>
    private sealed class BurstWriter : ReceivePersistentActor
    {
        public const string Write = "write";

        public BurstWriter(IReadOnlyList<ComputerJobStarted> events)
        {
            Command<string>(_ =>
            {
                var replyTo = Sender;
                var written = 0;
                PersistAll(events, _ => { if (++written == events.Count) replyTo.Tell(written); });
            });
        }

        public override string PersistenceId => "session-burst";
    }
}
