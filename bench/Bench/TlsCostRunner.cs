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
/// 4 progress, finished), until every reply is back. Prints both rates and the TLS/plain ratio. Then (3) signed job orders
/// (<see cref="JobOrderSigner"/>, <see cref="JobOrderVerifier"/>): the cost of signing and checking one, and the session with
/// each job a RunJob on plain TCP, with TLS, and with TLS signed and checked; prints the ratios to plain TCP and to TLS unsigned.
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
            JobOrders(ca, computers, rounds);
            return 0;
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// (3) Signed job orders: what signing (the coordinator's dispatcher) and checking (the computer's job runner) one order
    /// costs, and the session over <paramref name="computers"/> where each job is a RunJob: on plain TCP unsigned, with TLS
    /// unsigned, and with TLS signed by the coordinator's server certificate and checked by each computer (chain to the site
    /// CA, role, signature, address, time, nonce). Prints the per-order cost as a share of a computer's remoting in the
    /// session, and the ratios TLS+signed/TLS and TLS+signed/plain.
    /// </summary>
    private static void JobOrders(SiteAuthority ca, int computers, int rounds)
    {
        var issued = ca.Issue("order-signer", CertificateRole.Server);
        using var certificate = PemFiles.ReadCertificateWithKey(issued.CertificatePath, issued.KeyPath, "order-signer");
        using var signer = new JobOrderSigner(certificate, TimeSpan.FromMinutes(5));
        var orders = Math.Max(computers, 1000);
        double sign = double.MaxValue, verify = double.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var verifier = new JobOrderVerifier(ca.Certificate, TimeSpan.FromMinutes(5));
            var jobs = Enumerable.Range(0, orders).Select(i => new RunJob("bench-session", $"pc{i:0000}", Spec, ActorRefs.Nobody)).ToList();
            var clock = Stopwatch.StartNew();
            var sealedJobs = jobs.Select(j => signer.Seal(j)).ToList();
            sign = Math.Min(sign, clock.Elapsed.TotalMilliseconds * 1000 / orders);
            clock.Restart();
            foreach (var job in sealedJobs)
                if (verifier.Refusal(job, job.Computer, DateTimeOffset.UtcNow) is { } why) throw new InvalidOperationException(why);
            verify = Math.Min(verify, clock.Elapsed.TotalMilliseconds * 1000 / orders);
        }

        // Alternating passes: plain TCP with unsigned orders (what a site without TLS had), TLS unsigned, TLS signed and checked.
        string[] modes = ["plain TCP, unsigned", "TLS, unsigned", "TLS, signed"];
        var best = new double[] { double.MaxValue, double.MaxValue, double.MaxValue };
        for (var pass = 0; pass < 3 * rounds; pass++)
        {
            var mode = pass % 3;
            var withSeal = mode == 2;
            using var a = Start("coordinator", CertificateRole.Server, mode == 0 ? null : ca);
            using var b = Start("computers", CertificateRole.Server, mode == 0 ? null : ca);
            var time = OrderedSession(a, b, computers, withSeal ? signer : null, withSeal ? new JobOrderVerifier(ca.Certificate, TimeSpan.FromMinutes(5)) : null);
            best[mode] = Math.Min(best[mode], time);
            Console.WriteLine($"pass {pass + 1}: RunJob {modes[mode],-20} session over {computers:N0} computers: {time * 1000,6:N0} ms");
        }
        var (plain, unsigned, signed) = (best[0], best[1], best[2]);
        var perComputer = unsigned * 1e6 / computers;
        Console.WriteLine($"job order (ECDSA P-256): sign {sign:0} µs, check {verify:0} µs; a computer's remoting in the TLS session: {perComputer:0} µs " +
                          $"(sign+check = x{(sign + verify) / perComputer:0.00} of it)");
        Console.WriteLine($"best over {computers:N0} computers: plain {plain * 1000:0} ms, TLS {unsigned * 1000:0} ms, TLS+signed {signed * 1000:0} ms");
        Console.WriteLine($"session time: TLS+signed/TLS x{signed / unsigned:0.00}, TLS+signed/plain x{signed / plain:0.00}");
    }

    private static readonly JobSpec Spec = new(SessionKind.Restore, JobRole.Single, "ubuntu-24.04", 3, 1, "repo1", TransferMethod.Unicast,
        new Messages.Classrooms.MulticastSettings(9000, "239.194.0.1", Messages.Classrooms.DuplexMode.Full, 100, 0, 60),
        new Messages.Classrooms.P2PSettings(Messages.Classrooms.P2PMode.Peer, 60), "", null);

    /// <summary>A RunJob to each of <paramref name="computers"/> actors on b (signed when <paramref name="signer"/> is given), 7 replies from each.</summary>
    private static double OrderedSession(ActorSystem a, ActorSystem b, int computers, JobOrderSigner? signer, JobOrderVerifier? verifier)
    {
        var prefix = "pc-" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < computers; i++)
        {
            var name = $"pc{i:0000}";
            b.ActorOf(Props.Create(() => new OrderedComputer(name, verifier)), $"{prefix}-{i}");
        }
        var refs = Enumerable.Range(0, computers)
            .Select(i => a.ActorSelection(new RootActorPath(AddressOf(b)) / "user" / $"{prefix}-{i}").ResolveOne(TimeSpan.FromSeconds(10)).Result).ToList();
        var done = new TaskCompletionSource();
        var clock = Stopwatch.StartNew();
        a.ActorOf(Props.Create(() => new OrderingDriver(refs, signer, done)));
        if (!done.Task.Wait(TimeSpan.FromMinutes(5))) throw new TimeoutException("The ordered session did not end within 5 minutes.");
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>A computer that checks its order as the job runner does (when it has a verifier), then answers 7 times.</summary>
    private sealed class OrderedComputer : ReceiveActor
    {
        public OrderedComputer(string name, JobOrderVerifier? verifier)
        {
            Receive<RunJob>(job =>
            {
                if (verifier?.Refusal(job, name, DateTimeOffset.UtcNow) is { } why) throw new InvalidOperationException(why);
                var (id, pc) = (job.SessionId, job.Computer);
                job.ReplyTo.Tell(new JobAccepted(id, pc));
                job.ReplyTo.Tell(new JobStarted(id, pc, "cache", "simulated"));
                for (var i = 1; i <= 4; i++) job.ReplyTo.Tell(new JobProgress(id, pc, i * 1024L, 4096, 1e6, TimeSpan.FromSeconds(4 - i)));
                job.ReplyTo.Tell(new JobFinished(id, pc, JobOutcome.Succeeded, "cache", "simulated", 4096, TimeSpan.FromSeconds(1), ""));
                Context.Stop(Self);
            });
        }
    }

    /// <summary>The dispatcher's part: a RunJob to each computer, signed as it is sent when there is a signer.</summary>
    private sealed class OrderingDriver : ReceiveActor
    {
        public OrderingDriver(IReadOnlyList<IActorRef> computers, JobOrderSigner? signer, TaskCompletionSource done)
        {
            var finished = 0;
            ReceiveAny(m =>
            {
                if (m is JobFinished && ++finished == computers.Count) { done.TrySetResult(); Context.Stop(Self); }
            });
            for (var i = 0; i < computers.Count; i++)
            {
                var job = new RunJob("bench-session", $"pc{i:0000}", Spec, Self);
                computers[i].Tell(signer is null ? job : signer.Seal(job));
            }
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
