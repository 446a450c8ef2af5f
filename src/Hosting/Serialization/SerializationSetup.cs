using Akka.Hosting;
using OgActors.Messages;
using OgActors.Messages.Serialization;

namespace OgActors.Hosting.Serialization;

public static class SerializationSetup
{
    /// <summary>Binds every <see cref="IOgMessage"/> to <see cref="OgMessageSerializer"/> (never Newtonsoft).</summary>
    public static AkkaConfigurationBuilder WithOgSerialization(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer(OgMessageSerializer.Name, [typeof(IOgMessage)], system => new OgMessageSerializer(system));

    /// <summary>The same binding as HOCON, for systems created without Akka.Hosting (tests, tools).</summary>
    public const string Hocon = """
        akka.actor {
          serializers.ogactors = "OgActors.Messages.Serialization.OgMessageSerializer, OgActors.Messages"
          serialization-bindings { "OgActors.Messages.IOgMessage, OgActors.Messages" = ogactors }
          serialization-identifiers { "OgActors.Messages.Serialization.OgMessageSerializer, OgActors.Messages" = 4201 }
        }
        """;
}
