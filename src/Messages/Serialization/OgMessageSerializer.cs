using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace OgActors.Messages.Serialization;

/// <summary>
/// The one serializer for every <see cref="IOgMessage"/>: System.Text.Json payloads named by the
/// explicit manifests of <see cref="ManifestRegistry"/>. Used on the wire and in the event journal,
/// never the default Newtonsoft serializer.
/// </summary>
public sealed class OgMessageSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 4201;
    public const string Name = "ogactors";

    private readonly ManifestRegistry _registry = ManifestRegistry.Instance;
    private readonly JsonSerializerOptions _options;

    public OgMessageSerializer(ExtendedActorSystem system) : base(system)
    {
        _options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { new ActorRefJsonConverter(system), new JsonStringEnumConverter() },
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
    }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => _registry.ManifestOf(o.GetType());

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), _options);

    public override object FromBinary(byte[] bytes, string manifest) =>
        JsonSerializer.Deserialize(bytes, _registry.TypeOf(manifest), _options)
        ?? throw new System.Runtime.Serialization.SerializationException($"Empty payload for manifest '{manifest}'.");
}
