namespace OgActors.Coordinator.Persistence;

/// <summary>
/// How the coordinator tunes Akka.Persistence.Sql (1.5.73) for its journal, where every domain event is tagged
/// (<c>audit</c> plus what it concerns). Measured by bench/journal-throughput.sh.
/// </summary>
public static class JournalTuning
{
    public static string Hocon(JournalProvider provider) => provider == JournalProvider.Sqlite ? Common + Sqlite : Common;

    private const string Common = """
        akka.persistence.journal.sql {
          # Tagged events are otherwise inserted one row per round trip (InsertWithInt64Identity, to learn each ordering for
          # its tag rows); the AsQueryable path inserts a whole batch in one INSERT … RETURNING and its tags in one more.
          tagtable-asqueryable-insert-mode = inline
          # Rows per such INSERT: 4 parameters a row (message, manifest, writer, persistence id), so 100 rows. Without a limit a
          # session's burst (2,000 job events in one write) became one statement of 8,000 parameters, and linq2db 6.5.1 names
          # them unique by trying Message, Message_1, Message_2 … in turn: quadratic, about 1 s of CPU for that one statement,
          # the whole gap between PostgreSQL and the 1 s goal. 100 rows a statement costs n × 100 instead of n² / 2.
          tagtable-asqueryable-insert-max-parameters = 400
          # Rows per write transaction: a session over 1,000 computers persists its job events in bursts.
          batch-size = 1000
          # Writes waiting for the writers: a session over 10,000 computers has ~30,000 job and partition events in flight
          # (the default 5,000 rejects the rest, and a rejected event is lost to its entity until the computer reports again).
          buffer-size = 100000
          # A write's time counts from when it is queued, not when a writer takes it: behind such a burst a write waits its
          # turn for longer than the default 10 s, and a timed-out write stops its entity (which then recovers and redoes).
          circuit-breaker.call-timeout = 60s
        }

        """;

    /// <summary>
    /// SQLite: reads in deferred transactions (<c>BEGIN</c>, a WAL snapshot) instead of Microsoft.Data.Sqlite's default
    /// <c>BEGIN IMMEDIATE</c>, which takes the database's write lock for every replay, tag query and journal-sequence poll,
    /// so readers and the writer queued behind each other (busy-waiting in Thread.Sleep). <c>read-uncommitted</c> is what
    /// makes Microsoft.Data.Sqlite begin a deferred transaction; without shared cache it reads committed data only. And one
    /// writer: SQLite has one write lock, several writers only wait for each other.
    /// </summary>
    private const string Sqlite = """
        akka.persistence.journal.sql {
          read-isolation-level = read-uncommitted
          parallelism = 1
        }
        akka.persistence.query.journal.sql.read-isolation-level = read-uncommitted
        akka.persistence.snapshot-store.sql.read-isolation-level = read-uncommitted
        """;
}
