using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.Serialization;

namespace OgActors.Messages.Serialization;

/// <summary>
/// The explicit manifest ⇄ type map of every <see cref="IOgMessage"/> in this assembly, built once and
/// checked at build time of the map: a concrete message without a manifest, two messages sharing one, or a
/// <see cref="ManifestAttribute"/> on a type that is not an <see cref="IOgMessage"/> (it would cross nodes with the
/// default serializer) is a programming error and fails the first serializer use, i.e. the node's start-up (and the
/// round-trip test), naming every offending type in one sentence.
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
        var problems = new List<string>();
        foreach (var type in assembly.GetTypes())
        {
            var manifest = type.GetCustomAttribute<ManifestAttribute>()?.Value;
            var isMessage = typeof(IOgMessage).IsAssignableFrom(type) && !type.IsAbstract && !type.IsInterface;
            if (!isMessage)
            {
                // a [Manifest] type the serializer binding would not reach: it would cross nodes with the default serializer
                if (manifest is not null) problems.Add($"{type.FullName} carries [Manifest(\"{manifest}\")] but does not implement IOgMessage");
                continue;
            }
            if (manifest is null) { problems.Add($"message type {type.FullName} has no [Manifest]"); continue; }
            if (!map.TryAdd(manifest, type))
                problems.Add($"manifest '{manifest}' is used by both {map[manifest].FullName} and {type.FullName}");
        }
        if (problems.Count > 0)
            throw new InvalidOperationException($"The OgActors message registry of {assembly.GetName().Name} is inconsistent: {string.Join("; ", problems)}.");
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
