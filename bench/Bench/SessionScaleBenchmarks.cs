using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using OgActors.Coordinator.Domain;
using OgActors.Coordinator.Sessions;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;
using OgActors.Messages.Images;
using OgActors.Messages.Repositories;
using OgActors.Messages.Sessions;

namespace OgActors.Bench;

/// <summary>
/// One coordinator running a restore session over N simulated computers (scale: 1,000): time from the command until
/// every computer has its job (dispatch), until every outcome is persisted (collect), and the journal replay of the
/// session's events. Events written per session: 1 created + 2 per computer (started, finished) + 1 finished.
/// Run: bench/session-scale.sh, or `dotnet run -c Release --project bench/Bench -- --filter '*SessionScale*'`.
/// </summary>
[Config(typeof(InProcessMonitoring))]
public class SessionScaleBenchmarks
{
    /// <summary>In this process (the coordinator is started once per run), each iteration one whole operation.</summary>
    public sealed class InProcessMonitoring : ManualConfig
    {
        public InProcessMonitoring() => AddJob(Job.InProcess.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5));
    }

    private SessionScaleHost _host = null!;
    private string _lastSession = "";

    [Params(1000)]
    public int Computers { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _host = await SessionScaleHost.StartAsync();
        var d = _host.Domain;
        var names = Enumerable.Range(1, Computers).Select(i => $"pc{i:0000}").ToList();
        foreach (var room in names.Chunk(250).Select((chunk, i) => (chunk, i)))
        {
            var name = $"aula{room.i + 1}";
            Check(await d.AskAsync(new DefineClassroom(name, $"10.{room.i + 1}.0.0/16", "bench")));
            var adds = room.chunk.Select((pc, k) => d.AskAsync(new AddComputer(name, pc, $"10.{room.i + 1}.{k / 200}.{k % 200 + 10}",
                $"52:54:{room.i:x2}:00:{k / 256:x2}:{k % 256:x2}", "repo1", 20L << 30, "bench")));
            foreach (var r in await Task.WhenAll(adds)) Check(r);
        }
        Check(await d.AskAsync(new DefineImage("win11", "Windows 11", "W11", 1, "NTFS", "repo1", "bench", "bench")));
        Check(await d.AskAsync(new LinkImageFile("win11", "repo1", "", new ImageFileInfo("PARTCLONE", "LZOP", "NTFS", 1, 1, "PARTCLONE:LZOP:NTFS:1"),
            "s", "f", "h", 1, DateTimeOffset.UtcNow)));
        _host.StartComputers(names, progressReports: 4);
    }

    [Benchmark(Description = "dispatch: command → every computer has its job")]
    public async Task Dispatch()
    {
        _host.JobsReceived.Reset(Computers);
        await StartAsync();
        await Task.Run(() => _host.JobsReceived.Wait());
    }

    [IterationCleanup(Target = nameof(Dispatch))]
    public void AfterDispatch() => AwaitOutcome().GetAwaiter().GetResult();

    [Benchmark(Description = "whole session: command → every outcome persisted (2 events per computer)")]
    public async Task RunSession()
    {
        await StartAsync();
        await AwaitOutcome();
    }

    private async Task StartAsync()
    {
        var classrooms = Enumerable.Range(1, (Computers + 249) / 250).Select(i => $"aula{i}").ToList();
        var reply = await _host.Domain.Planner.StartAsync(new SessionRequest(SessionKind.Restore, Classrooms: classrooms, Image: "win11",
            Partition: 1, Method: TransferMethod.Unicast), "bench");
        _lastSession = ((Accepted)reply).Id!;
    }

    private async Task AwaitOutcome()
    {
        while ((await _host.Domain.SessionAsync(_lastSession))?.Outcome is null) await Task.Delay(20);
    }

    [Benchmark(Description = "replay the last session's events from the journal")]
    public async Task<int> ReplaySession()
    {
        if (_lastSession.Length == 0) await RunSession();
        var journal = PersistenceQuery.Get(_host.System).ReadJournalFor<SqlReadJournal>("akka.persistence.query.journal.sql");
        var events = await journal.CurrentEventsByPersistenceId(PersistenceIds.Session(_lastSession), 0, long.MaxValue)
            .RunWith(Sink.Seq<EventEnvelope>(), _host.System.Materializer());
        return events.Count;
    }

    [GlobalCleanup]
    public void Cleanup() => _host.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static void Check(object reply)
    {
        if (reply is Refused r) throw new InvalidOperationException(r.Reason);
    }
}
