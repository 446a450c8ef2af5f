using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace OgActors.Cluster.Tests.Support;

/// <summary>
/// An ActorSystem that is not one of ours: plain Akka.NET with TLS on Akka.Remote, showing <paramref name="certificate"/>
/// (or, with <c>presentCertificate</c> false, none when it connects), checking nothing of its peers. What a student
/// could run on a lab PC with the Akka.NET packages.
/// </summary>
public static class Intruder
{
    public static ActorSystem Start(X509Certificate2 certificate, bool presentCertificate, string provider = "remote", string? seed = null,
        string extraHocon = "") =>
        ActorSystem.Create("ogactors", BootstrapSetup.Create()
            .WithConfig(ConfigurationFactory.ParseString(extraHocon + "\n" + OgActors.Hosting.Serialization.SerializationSetup.Hocon + "\n" + $$"""
                akka.actor.provider = {{provider}}
                akka.loglevel = WARNING
                akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0, enable-ssl = on }
                akka.cluster.seed-nodes = [{{(seed is null ? "" : "\"" + seed + "\"")}}]
                akka.cluster.seed-node-timeout = 1s
                akka.cluster.retry-unsuccessful-join-after = 1s
                """))
            .And(new DotNettySslSetup(certificate, suppressValidation: true, requireMutualAuthentication: presentCertificate)));
}

/// <summary>Collects the warnings and errors an ActorSystem logs (its EventStream), to find the refusal lines.</summary>
public sealed class WarningLog
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }

    public static WarningLog On(ActorSystem system)
    {
        var log = new WarningLog();
        var actor = system.ActorOf(Props.Create(() => new Collector(log._lines)), "warning-log-" + Guid.NewGuid().ToString("N")[..8]);
        system.EventStream.Subscribe(actor, typeof(Warning));
        system.EventStream.Subscribe(actor, typeof(Error));
        return log;
    }

    private sealed class Collector : ReceiveActor
    {
        public Collector(List<string> lines)
        {
            Receive<LogEvent>(e => { lock (lines) lines.Add(e.Message?.ToString() ?? ""); });
        }
    }
}
