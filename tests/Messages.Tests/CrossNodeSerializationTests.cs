using System.Collections.Concurrent;
using System.Reflection;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using OgActors.Messages.Serialization;

namespace OgActors.Messages.Tests;

/// <summary>
/// Two ActorSystems on 127.0.0.1 port 0 with serialize-messages = on and the default (System.Object) binding replaced by
/// a tripwire: every message type, replies and views included, is sent from one to the other and echoed back as an Ask
/// reply. Any type that would need the default serializer trips the wire (and its ask never completes).
/// </summary>
public sealed class CrossNodeSerializationTests : IDisposable
{
    private static readonly Config Strict = ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        akka.actor.provider = remote
        akka.actor.serialize-messages = on
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.actor.serializers.tripwire = "{{typeof(TripwireSerializer).AssemblyQualifiedName}}"
        akka.actor.serialization-bindings { "System.Object" = tripwire }
        akka.actor.serialization-identifiers { "{{typeof(TripwireSerializer).AssemblyQualifiedName}}" = 4299 }
        """).WithFallback(ConfigurationFactory.ParseString(OgActors.Hosting.Serialization.SerializationSetup.Hocon));

    private readonly ActorSystem _client = ActorSystem.Create("og-client", Strict);
    private readonly ActorSystem _server = ActorSystem.Create("og-server", Strict);
    private readonly IActorRef _echo;

    public CrossNodeSerializationTests()
    {
        TripwireSerializer.Tripped.Clear();
        _server.ActorOf(Props.Create(() => new Echo()), "echo");
        var address = ((ExtendedActorSystem)_server).Provider.DefaultAddress;
        _echo = _client.ActorSelection(new RootActorPath(address) / "user" / "echo").ResolveOne(TimeSpan.FromSeconds(10)).Result;
    }

    [Fact]
    public void The_default_serializer_is_bound_to_the_tripwire() =>
        _client.Serialization.FindSerializerForType(typeof(Version)).Should().BeOfType<TripwireSerializer>();

    [Fact]
    public async Task Every_message_reply_and_view_crosses_nodes_with_the_og_serializer()
    {
        var sampleRef = _client.ActorOf(Props.Empty, "sample");
        var factory = new SampleFactory(sampleRef);
        var failures = new List<string>();
        // every type named by a manifest or declared as a public record in src/Messages, not only what the registry holds
        var types = typeof(IOgMessage).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && (t.GetCustomAttribute<ManifestAttribute>() is not null || (t.IsPublic && t.GetMethod("<Clone>$") is not null)))
            .Concat(ManifestRegistry.Instance.Types).Distinct().OrderBy(t => t.FullName).ToList();
        types.Should().Contain([typeof(Sessions.SessionView), typeof(Classrooms.ClassroomView), typeof(Images.ImageView)]);
        foreach (var type in types)
        {
            var sample = factory.Create(type);
            if (_client.Serialization.FindSerializerFor(sample) is not OgMessageSerializer) failures.Add(type.FullName + " (not bound to our serializer)");
            try
            {
                var back = await _echo.Ask<object>(sample, TimeSpan.FromSeconds(5));
                back.Should().BeOfType(type);
                if (type.GetProperties().Length == 0) back.Should().Be(sample);
                else back.Should().BeEquivalentTo(sample, o => o.RespectingRuntimeTypes());
            }
            catch (AskTimeoutException) { failures.Add(type.FullName!); }
        }
        failures.Should().BeEmpty("every message must survive the wire both ways");
        TripwireSerializer.Tripped.Should().BeEmpty("no message may fall back to the default serializer");
    }

    [Fact]
    public async Task The_tripwire_catches_a_type_that_is_not_an_og_message()
    {
        var act = () => _echo.Ask<object>(new NotAMessage("x"), TimeSpan.FromSeconds(1));
        await act.Should().ThrowAsync<AskTimeoutException>();
        TripwireSerializer.Tripped.Should().Contain(typeof(NotAMessage).FullName!);
    }

    public sealed record NotAMessage(string Text);

    public void Dispose()
    {
        Task.WaitAll(_client.Terminate(), _server.Terminate());
    }

    /// <summary>Replies with what it received: the message comes in and goes back out through the remote serializer.</summary>
    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }
}

/// <summary>
/// Bound to System.Object in the test: records and refuses every OgActors (or other non-Akka) type that reaches the
/// default binding. Akka's own internal messages that rely on that binding under serialize-messages (e.g. remoting's
/// GotUid) still get Akka's default serializer, so the systems run as they would.
/// </summary>
public sealed class TripwireSerializer(ExtendedActorSystem system) : Serializer(system)
{
    private readonly NewtonSoftJsonSerializer _akkaInternals = new(system);

    public static ConcurrentBag<string> Tripped { get; } = [];

    public override bool IncludeManifest => true;

    private static bool IsAkkaInternal(Type type) => type.FullName!.StartsWith("Akka.", StringComparison.Ordinal);

    public override byte[] ToBinary(object obj)
    {
        if (IsAkkaInternal(obj.GetType())) return _akkaInternals.ToBinary(obj);
        Tripped.Add(obj.GetType().FullName!);
        throw new InvalidOperationException($"{obj.GetType().FullName} reached the default serializer.");
    }

    public override object FromBinary(byte[] bytes, Type type) =>
        IsAkkaInternal(type) ? _akkaInternals.FromBinary(bytes, type) : throw new InvalidOperationException($"{type.FullName} reached the default serializer.");
}
