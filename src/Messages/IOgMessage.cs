namespace OgActors.Messages;

/// <summary>
/// Marker for everything <see cref="Serialization.OgMessageSerializer"/> owns: messages, commands,
/// events, queries, replies and persisted snapshot states. Every concrete type that implements it
/// must carry a <see cref="ManifestAttribute"/> with a manifest unique in this assembly.
/// </summary>
public interface IOgMessage;

/// <summary>The stable wire/journal name of a message type. Never change one that has shipped.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ManifestAttribute(string value) : Attribute
{
    public string Value { get; } = value;
}
