using System.Text;
using Akka.Actor;
using Akka.Configuration;
using OgActors.Hosting.Serialization;
using OgActors.Messages.Serialization;

namespace OgActors.Messages.Tests;

/// <summary>Every message, command, event, query and state in src/Messages survives our serializer unchanged.</summary>
public sealed class SerializerRoundTripTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("roundtrip",
        ConfigurationFactory.ParseString(SerializationSetup.Hocon + "\nakka.actor.serialize-messages = on"));

    public static TheoryData<string> Manifests()
    {
        var data = new TheoryData<string>();
        foreach (var type in ManifestRegistry.Instance.Types.OrderBy(t => t.FullName)) data.Add(ManifestRegistry.Instance.ManifestOf(type));
        return data;
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Round_trips_through_the_og_serializer(string manifest)
    {
        var type = ManifestRegistry.Instance.TypeOf(manifest);
        var probe = _system.ActorOf(Props.Empty, "sample-" + manifest.Replace('/', '-').Replace('.', '-'));
        var sample = new SampleFactory(probe).Create(type);

        var serializer = _system.Serialization.FindSerializerFor(sample);
        serializer.Should().BeOfType<OgMessageSerializer>($"{type.Name} must never fall back to Newtonsoft");
        var og = (OgMessageSerializer)serializer;
        og.Manifest(sample).Should().Be(manifest);

        var bytes = og.ToBinary(sample);
        var back = og.FromBinary(bytes, manifest);

        back.Should().BeOfType(type);
        Encoding.UTF8.GetString(og.ToBinary(back)).Should().Be(Encoding.UTF8.GetString(bytes), "no field may be lost");
        if (type.GetProperties().Length == 0) back.Should().Be(sample, "a message without fields compares by value");
        else back.Should().BeEquivalentTo(sample, o => o.RespectingRuntimeTypes());
    }

    [Fact]
    public void Every_message_type_has_a_unique_manifest() =>
        ManifestRegistry.Instance.Types.Should().NotBeEmpty()
            .And.OnlyHaveUniqueItems(t => ManifestRegistry.Instance.ManifestOf(t));

    [Fact]
    public void Unknown_manifest_is_refused_clearly()
    {
        var og = (OgMessageSerializer)_system.Serialization.FindSerializerForType(typeof(Common.Refused));
        var act = () => og.FromBinary("{}"u8.ToArray(), "no-such-manifest");
        act.Should().Throw<System.Runtime.Serialization.SerializationException>().WithMessage("*no-such-manifest*");
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));
}
