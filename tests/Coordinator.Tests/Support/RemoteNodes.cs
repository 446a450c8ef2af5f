using Akka.Actor;
using Akka.Configuration;
using OgActors.Hosting.Serialization;

namespace OgActors.Coordinator.Tests.Support;

/// <summary>
/// A plain remote ActorSystem on a loopback address of its own (127.0.0.x), with our serializer: a computer's node, or a
/// student's, in the attack tests.
/// </summary>
public static class RemoteNodes
{
    public static ActorSystem Start(string host, string name = "ogactors", bool serializeMessages = false) =>
        ActorSystem.Create(name, ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.actor.serialize-messages = {{(serializeMessages ? "on" : "off")}}
            akka.remote.dot-netty.tcp { hostname = "{{host}}", port = 0 }
            akka.loglevel = WARNING
            """).WithFallback(ConfigurationFactory.ParseString(SerializationSetup.Hocon)));

    /// <summary>The actor of another system as <paramref name="from"/> addresses it over remoting.</summary>
    public static Task<IActorRef> ResolveAsync(ActorSystem from, IActorRef actor, ActorSystem of) =>
        from.ActorSelection(actor.Path.ToStringWithAddress(((ExtendedActorSystem)of).Provider.DefaultAddress)).ResolveOne(TimeSpan.FromSeconds(10));
}
