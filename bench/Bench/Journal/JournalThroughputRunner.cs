using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using OgActors.Coordinator.Audit;
using OgActors.Coordinator.Domain;
using OgActors.Coordinator.Hosting;
using OgActors.Coordinator.Sessions;
using OgActors.Hosting.Configuration;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;
using OgActors.Messages.Images;
using OgActors.Messages.Repositories;
using OgActors.Messages.Sessions;

namespace OgActors.Bench.Journal;

/// <summary>
/// The journal's throughput against issue 16's goals (bench/journal-throughput.sh), on SQLite or PostgreSQL:
/// <list type="number">
/// <item><b>history</b>: a <see cref="CampusHistory"/> (default 10,000 sessions over 34 computers: 1,011,416 events) written
///   through the real journal plugin (<see cref="HistoryWriter"/>); prints the bulk write rate.</item>
/// <item><b>audit</b>: the whole audit timeline streamed as the API's JSON (<see cref="AuditLog.WriteJsonAsync"/>, what
///   <c>GET /api/audit</c> and <c>ogctl audit</c> run), then gathered in memory; goal ≥ 50,000 events/s.</item>
/// <item><b>replay</b>: streams read back by persistence id (what an entity's recovery reads), the sessions' and the
///   classrooms'; goal ≥ 50,000 events/s.</item>
/// <item><b>read-side</b>: a real coordinator node (HTTP API) started on that journal: time to its first
///   <c>GET /api/sessions</c> (the read side's cold start), then the listing of the 10,000 sessions (median of 5; goal
///   &lt; 200 ms); then a restart, cold again.</item>
/// <item><b>sessions</b>: a restore session over 1,000 simulated computers (goal: completed &lt; 1 s) and one over
///   10,000 (completes; time reported), on the same kind of journal; <b>session-1000</b>: only the first.</item>
/// </list>
/// `dotnet OgActors.Bench.dll journal-throughput [--journal sqlite|postgresql] [--sessions N] [--computers K]
/// [--phases history,serializer,audit,replay,read-side,sessions|session-1000] [--existing FILE|SCHEMA]`
/// (OG_BENCH_KEEP=1 keeps every journal it makes, for a look at its rows.)
/// </summary>
public static class JournalThroughputRunner
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "journal-throughput";

    public const double ReplayGoal = 50_000;       // events per second
    public const double ListingGoalMs = 200;
    public const double SessionGoalSeconds = 1.0;  // 1,000 computers, completed

    public static int Run(string[] args)
    {
        string Arg(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        var kind = Arg("--journal", "sqlite");
        var sessions = int.Parse(Arg("--sessions", "10000"), CultureInfo.InvariantCulture);
        var computers = int.Parse(Arg("--computers", "34"), CultureInfo.InvariantCulture);
        if (Environment.GetEnvironmentVariable("OG_BENCH_SQL") == "1")
        {
            LinqToDB.Data.DataConnection.TurnTraceSwitchOn(System.Diagnostics.TraceLevel.Info);
            LinqToDB.Data.DataConnection.WriteTraceLine = (message, category, level) => { if (message?.Contains("SELECT") == true) Console.Error.WriteLine(message); };
        }
        var phases = Arg("--phases", "history,serializer,audit,replay,read-side,sessions").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        try
        {
            return RunAsync(kind, new CampusHistory(sessions, computers), phases, Arg("--existing", "")).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or TimeoutException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    /// <param name="existing">A journal kept from an earlier run of the same history (OG_BENCH_KEEP=1: its SQLite file or
    /// PostgreSQL schema): not written again, not removed.</param>
    private static async Task<int> RunAsync(string kind, CampusHistory history, string[] phases, string existing)
    {
        using var journal = existing.Length == 0 ? BenchJournal.Create(kind) : kind == "sqlite" ? BenchJournal.Sqlite(existing) : BenchJournal.Postgres(existing);
        KeepIfAsked(journal, existing.Length > 0);
        Console.WriteLine($"journal: {journal.Kind}; history: {history.Sessions:N0} sessions, {history.EventCount:N0} events; load {Load()}");
        if (phases.Contains("history") || phases.Any(p => p is "audit" or "replay" or "read-side" or "serializer"))
        {
            await using var host = await SessionScaleHost.StartAsync(journal);
            if (existing.Length == 0)
            {
                var clock = Stopwatch.StartNew();
                var written = await HistoryWriter.WriteAsync(host.System, history, n => { if (n % 100_000 < 1_000) Console.WriteLine($"  {n:N0} events at {clock.Elapsed.TotalSeconds:0.0} s"); });
                var seconds = clock.Elapsed.TotalSeconds;
                var (rows, tags) = journal.Count();
                Report("history written through the journal plugin", $"{written:N0} events in {seconds:0.0} s = {written / seconds:N0} events/s ({rows:N0} rows, {tags:N0} tag rows)");
                if (written != history.EventCount) throw new InvalidOperationException($"The journal acknowledged {written} events of {history.EventCount}.");
            }

            if (phases.Contains("serializer")) SerializerCost(host, journal);
            if (phases.Contains("audit")) await AuditAsync(host, history.EventCount);
            if (phases.Contains("replay")) await ReplayAsync(host, history);
        }
        if (phases.Contains("read-side")) await ReadSideAsync(journal, history);
        if (phases.Contains("sessions") || phases.Contains("session-1000")) await SessionsAsync(kind, 1_000, rounds: 3);
        if (phases.Contains("sessions")) await SessionsAsync(kind, 10_000, rounds: 1);
        return 0;
    }

    /// <summary>Our serializer alone on the journal's own payloads: the share of a replay that is deserialization.</summary>
    private static void SerializerCost(SessionScaleHost host, BenchJournal journal)
    {
        var rows = journal.Payloads(200_000);
        var serialization = host.System.Serialization;
        var events = new object[rows.Count];
        var clock = Stopwatch.StartNew();
        for (var pass = 0; pass < 3; pass++)
        {
            clock.Restart();
            for (var i = 0; i < rows.Count; i++) events[i] = serialization.Deserialize(rows[i].Message, rows[i].Serializer, rows[i].Manifest);
            Console.WriteLine($"  pass {pass + 1}: {clock.Elapsed.TotalSeconds * 1e6 / rows.Count:0.0} µs each"); // the first passes run before the JIT's optimised tiers
        }
        var byType = events.GroupBy(e => e.GetType().Name).Select(g => $"{g.Key} {g.Count()}");
        Console.WriteLine($"  {string.Join(", ", byType)}");
        clock.Restart();
        for (var i = 0; i < rows.Count; i++) events[i] = serialization.Deserialize(rows[i].Message, rows[i].Serializer, rows[i].Manifest);
        var read = clock.Elapsed.TotalSeconds;
        clock.Restart();
        long bytes = 0;
        foreach (var e in events) bytes += serialization.FindSerializerFor(e).ToBinary(e).Length;
        var write = clock.Elapsed.TotalSeconds;
        Report($"serializer: {rows.Count:N0} journal payloads deserialized", $"{rows.Count / read:N0} events/s ({read * 1e6 / rows.Count:0.0} µs each, {bytes / rows.Count:N0} bytes)");
        Report($"serializer: … and serialized", $"{rows.Count / write:N0} events/s ({write * 1e6 / rows.Count:0.0} µs each)");
    }

    private static async Task AuditAsync(SessionScaleHost host, long events)
    {
        // the journal read alone (rows, tags, deserialization), as the audit's whole timeline reads it
        var read = PersistenceQuery.Get(host.System).ReadJournalFor<SqlReadJournal>(CoordinatorDomainSetup.ReadJournalPluginId);
        var clock = Stopwatch.StartNew();
        var count = await read.CurrentAllEvents(Offset.NoOffset()).RunWith(Sink.Aggregate<EventEnvelope, long>(0, (n, _) => n + 1), host.System.Materializer());
        var s = clock.Elapsed.TotalSeconds;
        Report("journal read in order by the plugin (CurrentAllEvents, deserialized)", $"{count:N0} events in {s:0.00} s = {count / s:N0} events/s", count / s / ReplayGoal);
        clock.Restart();
        count = await new JournalInOrder(host.System).Current().RunWith(Sink.Aggregate<(long, object), long>(0, (n, _) => n + 1), host.System.Materializer());
        s = clock.Elapsed.TotalSeconds;
        Report("journal read in order from its table (JournalInOrder, deserialized)", $"{count:N0} events in {s:0.00} s = {count / s:N0} events/s", count / s / ReplayGoal);

        for (var run = 1; run <= 2; run++) await AuditOnceAsync(host, events, run == 1 ? "first" : "again");
    }

    private static async Task AuditOnceAsync(SessionScaleHost host, long events, string run)
    {
        // what GET /api/audit (and so ogctl audit) does: the timeline streamed as JSON while the journal is read
        var clock = Stopwatch.StartNew();
        var json = new CountingStream();
        var streamed = await host.Domain.Audit.WriteJsonAsync(new AuditFilter(), json, OgActors.Coordinator.Api.DomainApi.Json);
        var total = clock.Elapsed.TotalSeconds;
        Report($"audit ({run}): the whole timeline as the API's JSON (AuditLog.WriteJsonAsync)", $"{streamed:N0} entries, {json.Length / 1e6:0} MB in {total:0.00} s = {streamed / total:N0} events/s", streamed / total / ReplayGoal);
        if (streamed != events) throw new InvalidOperationException($"The audit wrote {streamed} entries of {events} events.");

        // the same timeline gathered in memory (AuditLog.ReplayAsync, what the tests read)
        clock.Restart();
        var entries = await host.Domain.Audit.ReplayAsync(new AuditFilter());
        var replayed = clock.Elapsed.TotalSeconds;
        Report($"audit ({run}): … gathered in memory (AuditLog.ReplayAsync)", $"{entries.Count:N0} entries in {replayed:0.00} s = {entries.Count / replayed:N0} events/s", entries.Count / replayed / ReplayGoal);
        if (entries.Count != events) throw new InvalidOperationException($"The audit replayed {entries.Count} entries of {events} events.");
    }

    private static async Task ReplayAsync(SessionScaleHost host, CampusHistory history)
    {
        var journal = PersistenceQuery.Get(host.System).ReadJournalFor<SqlReadJournal>(CoordinatorDomainSetup.ReadJournalPluginId);
        var mat = host.System.Materializer();
        var ids = Enumerable.Range(0, Math.Min(history.Sessions, 2_000)).Select(i => PersistenceIds.Session(CampusHistory.SessionId(i))).ToList();
        var clock = Stopwatch.StartNew();
        long count = 0;
        foreach (var id in ids)
            count += await journal.CurrentEventsByPersistenceId(id, 0, long.MaxValue).RunWith(Sink.Seq<EventEnvelope>(), mat).ContinueWith(t => t.Result.Count);
        var s = clock.Elapsed.TotalSeconds;
        Report($"replay: {ids.Count:N0} session streams by persistence id", $"{count:N0} events in {s:0.00} s = {count / s:N0} events/s", count / s / ReplayGoal);

        clock.Restart();
        count = await journal.CurrentEventsByPersistenceId(PersistenceIds.Classroom("aula01"), 0, long.MaxValue)
            .RunWith(Sink.Seq<EventEnvelope>(), mat).ContinueWith(t => t.Result.Count);
        s = clock.Elapsed.TotalSeconds;
        Report("replay: the busiest classroom's stream", $"{count:N0} events in {s:0.00} s = {count / s:N0} events/s", count / s / ReplayGoal);

        // the entities themselves: recovery of sessions (sharded, recovered from the journal on first ask)
        var sample = Enumerable.Range(0, Math.Min(history.Sessions, 500)).Select(i => CampusHistory.SessionId(history.Sessions - 1 - i)).ToList();
        clock.Restart();
        var views = await Task.WhenAll(sample.Select(id => host.Domain.SessionAsync(id)));
        s = clock.Elapsed.TotalSeconds;
        var recovered = views.Sum(v => v is null ? 0 : 2 + 2L * v.Jobs.Count);
        if (views.Any(v => v?.Outcome is null)) throw new InvalidOperationException("A recovered session has no outcome.");
        Report($"replay: {sample.Count} session entities recovered (asked at once)", $"{recovered:N0} events in {s:0.00} s = {recovered / s:N0} events/s", recovered / s / ReplayGoal);
    }

    private static async Task ReadSideAsync(BenchJournal journal, CampusHistory history)
    {
        var data = Path.Combine(Path.GetTempPath(), $"og-journal-bench-node-{Guid.NewGuid():N}");
        try
        {
            for (var start = 1; start <= 2; start++)
            {
                var clock = Stopwatch.StartNew();
                await using var node = await CoordinatorNode.StartAsync(OgConfiguration.Build(NodeRole.Coordinator, null, journal.CoordinatorHocon,
                    $$"""
                    og.node { hostname = "127.0.0.1", port = 0, data-dir = {{OgConfiguration.Quote(data)}} }
                    og.tls.enabled = off
                    og.coordinator.api { url = "http://127.0.0.1:0", token = "journal-bench-token" }
                    akka.loglevel = WARNING
                    """));
                var up = clock.Elapsed.TotalSeconds;
                using var http = new HttpClient { BaseAddress = node.ApiUrl, Timeout = TimeSpan.FromMinutes(10) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "journal-bench-token");
                // a cold read of the whole journal may outlast the API's 60 s: 503, ask again
                List<JsonElement> list;
                while (true)
                {
                    try { list = await ListAsync(http); break; }
                    catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && clock.Elapsed < TimeSpan.FromMinutes(20))
                    {
                        Console.WriteLine($"  503 at {clock.Elapsed.TotalSeconds:0} s (the read side is still reading the journal); asking again");
                    }
                }
                var cold = clock.Elapsed.TotalSeconds;
                if (list.Count != history.Sessions) throw new InvalidOperationException($"session list gave {list.Count} sessions of {history.Sessions}.");
                Report($"read side, start {start}: node up, then first GET /api/sessions", $"up in {up:0.00} s, first listing {cold - up:0.00} s after ({history.EventCount:N0} events)");
                var times = new List<double>();
                for (var i = 0; i < 5; i++)
                {
                    clock.Restart();
                    list = await ListAsync(http);
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                Report($"read side, start {start}: GET /api/sessions ({list.Count:N0} sessions), median of 5",
                    $"{times[2]:0} ms (min {times[0]:0}, max {times[^1]:0})", ListingGoalMs / times[2]);
                // the model is stored after the read that made it; the next start loads it
                clock.Restart();
                long stored;
                while ((stored = journal.ReadSideSnapshotOffset()) == 0 && clock.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(100);
                Report($"read side, start {start}: snapshot stored", stored == 0 ? "none within 2 min" : $"at offset {stored:N0}");
            }
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient http)
    {
        using var response = await http.GetAsync("api/sessions");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<List<JsonElement>>())!;
    }

    private static async Task SessionsAsync(string kind, int computers, int rounds)
    {
        using var journal = BenchJournal.Create(kind);
        KeepIfAsked(journal);
        await using var host = await SessionScaleHost.StartAsync(journal);
        var d = host.Domain;
        var names = Enumerable.Range(1, computers).Select(i => $"pc{i:00000}").ToList();
        var rooms = new List<string>();
        foreach (var room in names.Chunk(250).Select((chunk, i) => (chunk, i)))
        {
            var name = $"big{computers}-{room.i + 1}";
            rooms.Add(name);
            Check(await d.AskAsync(new DefineClassroom(name, $"10.{room.i / 200}.{room.i % 200}.0/24", "bench")));
            foreach (var r in await Task.WhenAll(room.chunk.Select((pc, k) => d.AskAsync(new AddComputer(name, pc, $"10.{room.i / 200}.{room.i % 200}.{k + 1}",
                         $"52:54:{room.i / 256:x2}:{room.i % 256:x2}:{k / 256:x2}:{k % 256:x2}", "repo1", 20L << 30, "bench")))))
                Check(r);
        }
        Check(await d.AskAsync(new DefineImage("win11", "Windows 11", "W11", 1, "NTFS", "repo1", "bench", "bench")));
        Check(await d.AskAsync(new LinkImageFile("win11", "repo1", "", new ImageFileInfo("PARTCLONE", "LZOP", "NTFS", 1, 1, "PARTCLONE:LZOP:NTFS:1"),
            "s", "f", "h", 1, DateTimeOffset.UtcNow)));
        host.StartComputers(names, progressReports: 4);
        var best = (Dispatch: double.MaxValue, Done: double.MaxValue);
        for (var round = 0; round < rounds; round++)
        {
            host.JobsReceived.Reset(computers);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var reply = await d.Planner.StartAsync(new SessionRequest(SessionKind.Restore, Classrooms: rooms, Image: "win11", Partition: 1,
                Method: TransferMethod.Unicast), "bench");
            var id = (reply as Accepted)?.Id ?? throw new InvalidOperationException($"The session was refused: {(reply as Refused)?.Reason}");
            await Task.Run(() => host.JobsReceived.Wait(TimeSpan.FromMinutes(10)));
            var dispatched = clock.Elapsed.TotalSeconds;
            SessionView? view;
            while ((view = await d.SessionAsync(id))?.Outcome is null) await Task.Delay(20);
            var done = clock.Elapsed.TotalSeconds;
            if (view.Jobs.Count(j => j.Status == JobStatus.Succeeded) != computers) throw new InvalidOperationException($"Session {id}: not every computer succeeded.");
            var busy = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine($"  round {round + 1}: dispatched {dispatched:0.00} s, completed {done:0.00} s ({(2 + 2 * computers) / done:N0} events/s; " +
                $"this process used {busy:0.00} CPU s of {Environment.ProcessorCount * done:0.00})");
            best = (Math.Min(best.Dispatch, dispatched), Math.Min(best.Done, done));
        }
        Report($"session over {computers:N0} simulated computers ({journal.Kind}), best of {rounds}",
            $"dispatched {best.Dispatch:0.00} s, completed {best.Done:0.00} s", computers == 1_000 ? SessionGoalSeconds / best.Done : null);
    }

    /// <summary>Keeps <paramref name="journal"/> after the run when OG_BENCH_KEEP=1 (or <paramref name="always"/>), and says where.</summary>
    private static void KeepIfAsked(BenchJournal journal, bool always = false)
    {
        journal.Keep = always || Environment.GetEnvironmentVariable("OG_BENCH_KEEP") == "1";
        if (journal.Keep) Console.WriteLine($"keeping the journal: {journal.File ?? journal.Schema}");
    }

    private static void Check(object reply)
    {
        if (reply is Refused r) throw new InvalidOperationException(r.Reason);
    }

    private static void Report(string what, string measured, double? ratio = null) =>
        Console.WriteLine($"{what,-62} {measured}{(ratio is { } r ? $"   goal ratio {r:0.00}{(r >= 1 ? " (met)" : " (NOT met)")}" : "")}");

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>A write-only stream that only counts (the API's JSON body, without the network).</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) { _length += buffer.Length; return default; }
    }
}
