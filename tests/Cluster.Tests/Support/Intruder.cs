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
    public static ActorSystem Start(X509Certificate2 certificate, bool presentCertificate, string provider = "remote", string? seed = null) =>
        ActorSystem.Create("ogactors", BootstrapSetup.Create()
            .WithConfig(ConfigurationFactory.ParseString($$"""
                akka.actor.provider = {{provider}}
                akka.loglevel = WARNING
                akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0, enable-ssl = on }
                akka.cluster.seed-nodes = [{{(seed is null ? "" : "\"" + seed + "\"")}}]
                akka.cluster.seed-node-timeout = 1s
                akka.cluster.retry-unsuccessful-join-after = 1s
                """))
            .And(new DotNettySslSetup(certificate, suppressValidation: true, requireMutualAuthentication: presentCertificate)));
}

/// <summary>Collects the warnings an ActorSystem logs (its EventStream), to find the refusal lines.</summary>
public sealed class WarningLog : ReceiveActor
{
    private readonly List<string> _lines = [];

    private WarningLog()
    {
        Receive<Warning>(w => { lock (_lines) _lines.Add(w.Message?.ToString() ?? ""); });
        Receive<Error>(e => { lock (_lines) _lines.Add(e.Message?.ToString() ?? ""); });
    }

    public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }

    public static WarningLog On(ActorSystem system)
    {
        WarningLog? log = null;
        var actor = system.ActorOf(Props.Create(() => log = new WarningLog()), "warning-log-" + Guid.NewGuid().ToString("N")[..8]);
        system.EventStream.Subscribe(actor, typeof(Warning));
        system.EventStream.Subscribe(actor, typeof(Error));
        SpinWait.SpinUntil(() => log is not null, TimeSpan.FromSeconds(5));
        return log!;
    }
}
