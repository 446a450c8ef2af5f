using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.Serialization;

namespace OgActors.Messages.Serialization;

/// <summary>
/// The explicit manifest ⇄ type map of every <see cref="IOgMessage"/> in this assembly, built once and
/// checked at build time of the map: a concrete message without a manifest, or two messages sharing one,
/// is a programming error and fails the first serializer use (and the round-trip test).
/// </summary>
public sealed class ManifestRegistry
{
    public static ManifestRegistry Instance { get; } = FromAssembly(typeof(IOgMessage).Assembly);

    private readonly FrozenDictionary<string, Type> _byManifest;
    private readonly FrozenDictionary<Type, string> _byType;

    private ManifestRegistry(Dictionary<string, Type> byManifest)
    {
        _byManifest = byManifest.ToFrozenDictionary();
        _byType = byManifest.ToFrozenDictionary(kv => kv.Value, kv => kv.Key);
    }

    public IReadOnlyCollection<Type> Types => _byType.Keys;

    public static ManifestRegistry FromAssembly(Assembly assembly)
    {
        var map = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            if (!typeof(IOgMessage).IsAssignableFrom(type) || type.IsAbstract || type.IsInterface) continue;
            var manifest = type.GetCustomAttribute<ManifestAttribute>()?.Value
                ?? throw new InvalidOperationException($"Message type {type.FullName} has no [Manifest].");
            if (!map.TryAdd(manifest, type))
                throw new InvalidOperationException(
                    $"Manifest '{manifest}' is used by both {map[manifest].FullName} and {type.FullName}.");
        }
        return new ManifestRegistry(map);
    }

    public string ManifestOf(Type type) =>
        _byType.TryGetValue(type, out var manifest)
            ? manifest
            : throw new SerializationException($"{type.FullName} is not an OgActors message.");

    public Type TypeOf(string manifest) =>
        _byManifest.TryGetValue(manifest, out var type)
            ? type
            : throw new SerializationException($"Unknown OgActors message manifest '{manifest}'.");
}
