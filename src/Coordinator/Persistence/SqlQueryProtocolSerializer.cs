using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Reflection;
using Akka.Actor;
using Akka.Persistence.Sql.Query.InternalProtocol;
using Akka.Serialization;

namespace OgActors.Coordinator.Persistence;

/// <summary>
/// The messages Akka.Persistence.Sql's query side exchanges inside one node (its journal-sequence tracker, which hands
/// the tag queries the highest gap-free offset). They never cross the wire, but with
/// <c>akka.actor.serialize-messages = on</c> (every test) each is serialized and read back, and the default serializer
/// cannot rebuild their private-constructor singletons: the tracker then never advances and every tag query waits
/// forever. This serializer rebuilds them exactly (singletons as themselves, the rest from their numbers), so the read
/// side and the audit run under serialize-messages too. Bound in <see cref="Domain.CoordinatorDomainSetup.ReadSideJournalHocon"/>.
/// </summary>
public sealed class SqlQueryProtocolSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int SerializerId = 4202;

    /// <summary>The field-less messages (singletons), by the manifest they travel under.</summary>
    private static readonly ImmutableDictionary<string, object> Singletons = new[]
        {
            typeof(GetMaxOrderingId), typeof(QueryOrderingIds),
        }
        .ToImmutableDictionary(t => t.Name, Instance);

    private static object Instance(Type t)
    {
        const BindingFlags Static = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
        // receivers match these by type, so where a version has no shared Instance a fresh one (private constructor) does
        return t.GetField("Instance", Static)?.GetValue(null) ?? t.GetProperty("Instance", Static)?.GetValue(null)
            ?? Activator.CreateInstance(t, nonPublic: true)!;
    }

    /// <summary>The HOCON that binds every one of those types to this serializer.</summary>
    public static string Hocon
    {
        get
        {
            var self = typeof(SqlQueryProtocolSerializer).AssemblyQualifiedName;
            var types = Singletons.Values.Select(s => s.GetType())
                .Concat([typeof(MaxOrderingId), typeof(AssumeMaxOrderingId), typeof(ScheduleAssumeMaxOrderingId), typeof(NewOrderingIds)]);
            return $$"""
                akka.actor {
                  serializers.og-sql-query = "{{self}}"
                  serialization-identifiers { "{{self}}" = {{SerializerId}} }
                  serialization-bindings {
                {{string.Join("\n", types.Select(t => $"    \"{t.FullName}, {t.Assembly.GetName().Name}\" = og-sql-query"))}}
                  }
                }
                """;
        }
    }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o.GetType().Name;

    public override byte[] ToBinary(object obj) => obj switch
    {
        MaxOrderingId m => Longs(m.Max),
        AssumeMaxOrderingId m => Longs(m.Max),
        ScheduleAssumeMaxOrderingId m => Longs(m.MaxInDatabase),
        NewOrderingIds m => Longs([m.MaxOrdering, .. m.Elements]),
        _ when Singletons.ContainsKey(obj.GetType().Name) => [],
        _ => throw new ArgumentException($"{obj.GetType().FullName} is not an Akka.Persistence.Sql query message."),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (Singletons.TryGetValue(manifest, out var singleton)) return singleton;
        var longs = new long[bytes.Length / 8];
        for (var i = 0; i < longs.Length; i++) longs[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * 8));
        return manifest switch
        {
            nameof(MaxOrderingId) => new MaxOrderingId(longs[0]),
            nameof(AssumeMaxOrderingId) => new AssumeMaxOrderingId(longs[0]),
            nameof(ScheduleAssumeMaxOrderingId) => new ScheduleAssumeMaxOrderingId(longs[0]),
            nameof(NewOrderingIds) => new NewOrderingIds(longs[0], longs[1..].ToImmutableList()),
            _ => throw new System.Runtime.Serialization.SerializationException($"Unknown Akka.Persistence.Sql query manifest '{manifest}'."),
        };
    }

    private static byte[] Longs(params long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        return bytes;
    }
}
