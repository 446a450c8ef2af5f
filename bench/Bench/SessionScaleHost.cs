using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OgActors.Bench.Journal;
using OgActors.Coordinator.Domain;
using OgActors.Coordinator.Persistence;
using OgActors.Coordinator.Sessions;
using OgActors.Hosting.Serialization;
using OgActors.Messages.Sessions;

namespace OgActors.Bench;

/// <summary>
/// A coordinator for the session and journal benchmarks: single-node cluster on 127.0.0.1:0, the real journal (a SQLite
/// file in WAL mode, or a PostgreSQL schema: <see cref="BenchJournal"/>) configured as the coordinator configures it
/// (<see cref="PersistenceSetup.WithOgPersistence"/> with the audit tagger), our serializer, the domain with unicast
/// restore available; plus simulated computers (one actor each).
/// </summary>
public sealed class SessionScaleHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly BenchJournal? _owned;

    private SessionScaleHost(IHost host, BenchJournal? owned)
    {
        _host = host; _owned = owned;
        System = host.Services.GetRequiredService<ActorSystem>();
        Domain = host.Services.GetRequiredService<CoordinatorDomain>();
    }

    public ActorSystem System { get; }
    public CoordinatorDomain Domain { get; }

    /// <summary>Signalled by the simulated computers as each receives its job (reset it before a session).</summary>
    public CountdownEvent JobsReceived { get; } = new(0);

    /// <param name="journal">The journal to run on; null: a fresh SQLite file, removed when the host is disposed.</param>
    public static async Task<SessionScaleHost> StartAsync(BenchJournal? journal = null)
    {
        var owned = journal is null ? BenchJournal.Sqlite() : null;
        var settings = (journal ?? owned)!.Settings;
        var builder = Host.CreateDefaultBuilder();
        builder.ConfigureLogging(l => l.ClearProviders().SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureServices(services =>
        {
            services.AddCoordinatorDomainServices();
            services.AddAkka("og-bench", (akka, _) => akka
                .AddHocon("akka.loglevel = WARNING\nakka.cluster.sharding.distributed-data.durable.keys = []", HoconAddMode.Prepend)
                .WithOgSerialization()
                .WithRemoting("127.0.0.1", 0)
                .WithClustering(new ClusterOptions { Roles = [CoordinatorDomainSetup.Role] })
                .WithOgPersistence(settings, CoordinatorDomainSetup.AddAuditTagging)
                .AddStartup((system, _) => Cluster.Get(system).Join(Cluster.Get(system).SelfAddress))
                .AddCoordinatorDomain(new SessionSettings
                {
                    AvailableJobKinds = new HashSet<string> { JobKinds.Of(SessionKind.Restore, TransferMethod.Unicast) },
                }));
        });
        var host = builder.Build();
        await host.StartAsync();
        var up = new TaskCompletionSource();
        Cluster.Get(host.Services.GetRequiredService<ActorSystem>()).RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return new SessionScaleHost(host, owned);
    }

    /// <summary>Starts one simulated computer agent per name and announces it to the job dispatcher.</summary>
    public void StartComputers(IEnumerable<string> names, int progressReports)
    {
        foreach (var name in names)
        {
            var agent = System.ActorOf(Props.Create(() => new SimulatedComputer(progressReports, JobsReceived)));
            System.EventStream.Publish(new AgentAvailable(name, agent, [JobKinds.Of(SessionKind.Restore, TransferMethod.Unicast)]));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(20));
        _host.Dispose();
        _owned?.Dispose();
    }

    /// <summary>A computer that accepts a job, reports progress and succeeds at once (no transfer: this measures the coordinator).</summary>
    private sealed class SimulatedComputer : ReceiveActor
    {
        public SimulatedComputer(int progressReports, CountdownEvent received)
        {
            Receive<RunJob>(job =>
            {
                if (received.CurrentCount > 0) received.Signal();
                var (id, pc) = (job.SessionId, job.Computer);
                job.ReplyTo.Tell(new JobAccepted(id, pc));
                job.ReplyTo.Tell(new JobStarted(id, pc, "cache", "simulated"));
                for (var i = 1; i <= progressReports; i++)
                    job.ReplyTo.Tell(new JobProgress(id, pc, i * 1024L, progressReports * 1024L, 1e6, TimeSpan.FromSeconds(progressReports - i)));
                job.ReplyTo.Tell(new JobFinished(id, pc, JobOutcome.Succeeded, "cache", "simulated", progressReports * 1024L, TimeSpan.FromSeconds(1), ""));
            });
            Receive<JobFinishedAck>(_ => { });
        }
    }
}
