using System.Diagnostics;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;
using OgActors.Hosting.Configuration;
using OgActors.Hosting.Serialization;
using OgActors.Hosting.Tls;
using OgActors.Messages.Sessions;
using OgActors.Pki;

namespace OgActors.Bench;

/// <summary>
/// The cost of mutual TLS on Akka.Remote (bench/tls-cost.sh): two ActorSystems on 127.0.0.1 with our serializer, once
/// on plain TCP and once with the product's TLS (site CA, role certificates, the same validation callback), measuring
/// (1) messages per second one way with a bounded window (<see cref="JobProgress"/>, ~100 bytes on the wire), and
/// (2) the remoting of a session over 1,000 simulated computers: a job to each, 7 replies from each (accepted, started,
/// 4 progress, finished), until every reply is back. Prints both rates and the TLS/plain ratio.
/// `dotnet OgActors.Bench.dll tls-cost [--messages N] [--computers N] [--rounds N]`.
/// </summary>
public static class TlsCostRunner
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "tls-cost";

    public static int Run(string[] args)
    {
        int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
        var messages = Arg("--messages", 200_000);
        var computers = Arg("--computers", 1000);
        var rounds = Arg("--rounds", 3);
        var dir = Path.Combine(Path.GetTempPath(), $"og-tls-bench-{Guid.NewGuid():N}");
        try
        {
            var ca = SiteAuthority.Init(Path.Combine(dir, "ca"));
            var results = new Dictionary<bool, (double Rate, double Session)> { [false] = (0, double.MaxValue), [true] = (0, double.MaxValue) };
            // Alternating passes (plain, TLS, plain, TLS, ...) so neither side gets the JIT warm-up; best of each.
            for (var pass = 0; pass < 2 * rounds; pass++)
            {
                var tls = pass % 2 == 1;
                using var a = Start("coordinator", CertificateRole.Server, tls ? ca : null);
                using var b = Start("computers", CertificateRole.Server, tls ? ca : null);
                var rate = Throughput(a, b, messages);
                var session = Session(a, b, computers);
                results[tls] = (Math.Max(results[tls].Rate, rate), Math.Min(results[tls].Session, session));
                Console.WriteLine($"pass {pass + 1}: {(tls ? "mutual TLS" : "plain TCP"),-11} {rate,10:N0} messages/s   session over {computers:N0} computers: {session * 1000,6:N0} ms");
            }
            foreach (var tls in new[] { false, true })
                Console.WriteLine($"best {(tls ? "mutual TLS" : "plain TCP"),-11} {results[tls].Rate,10:N0} messages/s   session over {computers:N0} computers: {results[tls].Session * 1000,6:N0} ms");
            Console.WriteLine($"TLS/plain: throughput x{results[true].Rate / results[false].Rate:0.00}, session time x{results[true].Session / results[false].Session:0.00}");
            return 0;
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static ActorSystem Start(string name, CertificateRole role, SiteAuthority? ca)
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = OFF
            akka.stdout-loglevel = OFF
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0, maximum-frame-size = 4MiB, enable-ssl = {{(ca is null ? "off" : "on")}} }
            """).WithFallback(ConfigurationFactory.ParseString(SerializationSetup.Hocon));
        var setup = BootstrapSetup.Create().WithConfig(config);
        if (ca is null) return ActorSystem.Create("ogactors", setup);
        var issued = File.Exists(Path.Combine(ca.Dir, name + ".crt"))
            ? new IssuedCertificate(name, role, Path.Combine(ca.Dir, name + ".crt"), Path.Combine(ca.Dir, name + ".key"), DateTimeOffset.MaxValue)
            : ca.Issue(name, role);
        var tls = TlsSettings.From(OgConfiguration.Build(NodeRole.Coordinator, null,
            $"og.tls {{ ca = \"{ca.CertificatePath}\", certificate = \"{issued.CertificatePath}\", key = \"{issued.KeyPath}\" }}"));
        return ActorSystem.Create("ogactors", setup.And(new DotNettySslSetup(tls.Certificate!, false, true, tls.Validate)));
    }

    private static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    /// <summary>One-way messages a→b with at most 1,000 unacknowledged (b acks every 100th).</summary>
    private static double Throughput(ActorSystem a, ActorSystem b, int count)
    {
        var done = new TaskCompletionSource();
        var sink = b.ActorOf(Props.Create(() => new Sink()), "sink-" + Guid.NewGuid().ToString("N")[..8]);
        var remoteSink = a.ActorSelection(new RootActorPath(AddressOf(b)) / "user" / sink.Path.Name).ResolveOne(TimeSpan.FromSeconds(10)).Result;
        var clock = Stopwatch.StartNew();
        a.ActorOf(Props.Create(() => new Source(remoteSink, count, done)));
        done.Task.Wait(TimeSpan.FromMinutes(5));
        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>A job to each of <paramref name="computers"/> actors on b, 7 replies from each, until all are back.</summary>
    private static double Session(ActorSystem a, ActorSystem b, int computers)
    {
        var prefix = "pc-" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < computers; i++) b.ActorOf(Props.Create(() => new SimulatedComputer()), $"{prefix}-{i}");
        var refs = Enumerable.Range(0, computers)
            .Select(i => a.ActorSelection(new RootActorPath(AddressOf(b)) / "user" / $"{prefix}-{i}").ResolveOne(TimeSpan.FromSeconds(10)).Result).ToList();
        var done = new TaskCompletionSource();
        var clock = Stopwatch.StartNew();
        a.ActorOf(Props.Create(() => new SessionDriver(refs, done)));
        done.Task.Wait(TimeSpan.FromMinutes(5));
        return clock.Elapsed.TotalSeconds;
    }

    private sealed class Sink : ReceiveActor
    {
        public Sink()
        {
            var n = 0;
            Receive<JobProgress>(_ => { if (++n % 100 == 0) Sender.Tell(new JobStarted("bench", "sink", "", $"{n}")); });
        }
    }

    private sealed class Source : ReceiveActor
    {
        private static readonly JobProgress Message = new("bench-session", "pc0001", 123_456_789, 987_654_321, 1.25e8, TimeSpan.FromSeconds(42));

        public Source(IActorRef sink, int count, TaskCompletionSource done)
        {
            var sent = 0;
            var acked = 0;
            void Fill()
            {
                while (sent < count && sent - acked < 1000) { sink.Tell(Message); sent++; }
            }
            Receive<JobStarted>(_ =>
            {
                acked += 100;
                if (acked >= count) { done.TrySetResult(); Context.Stop(Self); return; }
                Fill();
            });
            Fill();
        }
    }

    private sealed class SimulatedComputer : ReceiveActor
    {
        public SimulatedComputer()
        {
            Receive<JobStarted>(job =>
            {
                var (id, pc) = (job.SessionId, job.Computer);
                Sender.Tell(new JobAccepted(id, pc));
                Sender.Tell(new JobStarted(id, pc, "cache", "simulated"));
                for (var i = 1; i <= 4; i++) Sender.Tell(new JobProgress(id, pc, i * 1024L, 4096, 1e6, TimeSpan.FromSeconds(4 - i)));
                Sender.Tell(new JobFinished(id, pc, JobOutcome.Succeeded, "cache", "simulated", 4096, TimeSpan.FromSeconds(1), ""));
                Context.Stop(Self);
            });
        }
    }

    private sealed class SessionDriver : ReceiveActor
    {
        public SessionDriver(IReadOnlyList<IActorRef> computers, TaskCompletionSource done)
        {
            var finished = 0;
            ReceiveAny(m =>
            {
                if (m is JobFinished && ++finished == computers.Count) { done.TrySetResult(); Context.Stop(Self); }
            });
            for (var i = 0; i < computers.Count; i++) computers[i].Tell(new JobStarted("bench-session", $"pc{i:0000}", "", "job"));
        }
    }
}
