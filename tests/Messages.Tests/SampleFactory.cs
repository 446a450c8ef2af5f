using System.Collections;
using System.Reflection;
using Akka.Actor;

namespace OgActors.Messages.Tests;

/// <summary>
/// Builds a fully populated instance of any message record: every constructor parameter gets a
/// non-default value, every collection one element, so a round trip that drops a field shows.
/// </summary>
internal sealed class SampleFactory(IActorRef sampleActor)
{
    private static readonly DateTimeOffset When = new(2026, 11, 24, 10, 30, 15, 123, TimeSpan.Zero);

    public object Create(Type type, string hint = "x", int depth = 0)
    {
        if (depth > 8) throw new InvalidOperationException($"Message graph too deep at {type}.");
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null) return Create(underlying, hint, depth);
        if (type == typeof(string)) return $"{hint}-value";
        if (type == typeof(bool)) return true;
        if (type == typeof(int)) return 42;
        if (type == typeof(long)) return 4_294_967_301L;
        if (type == typeof(short)) return (short)7;
        if (type == typeof(byte)) return (byte)7;
        if (type == typeof(uint)) return 42u;
        if (type == typeof(ulong)) return 42ul;
        if (type == typeof(double)) return 3.25;
        if (type == typeof(float)) return 1.5f;
        if (type == typeof(decimal)) return 12.5m;
        if (type == typeof(Guid)) return Guid.Parse("7d4f4c1e-2a8b-4d4e-9b1c-0f5e6a7b8c9d");
        if (type == typeof(DateTimeOffset)) return When;
        if (type == typeof(DateTime)) return When.UtcDateTime;
        if (type == typeof(TimeSpan)) return TimeSpan.FromSeconds(90);
        if (type == typeof(byte[])) return new byte[] { 1, 2, 3 };
        if (type == typeof(IActorRef)) return sampleActor;
        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue(values.Length - 1)!;
        }
        if (type.IsArray)
        {
            var array = Array.CreateInstance(type.GetElementType()!, 1);
            array.SetValue(Create(type.GetElementType()!, hint, depth + 1), 0);
            return array;
        }
        if (type.IsGenericType)
        {
            var def = type.GetGenericTypeDefinition();
            var args = type.GetGenericArguments();
            if (args.Length == 1 && typeof(IEnumerable).IsAssignableFrom(type) || def == typeof(IEnumerable<>))
            {
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(args[0]))!;
                list.Add(Create(args[0], hint, depth + 1));
                if (type.IsAssignableFrom(list.GetType())) return list;
                if (def == typeof(HashSet<>) || def == typeof(ISet<>) || def == typeof(IReadOnlySet<>))
                    return Activator.CreateInstance(typeof(HashSet<>).MakeGenericType(args[0]), list)!;
            }
            if (args.Length == 2 && typeof(IEnumerable).IsAssignableFrom(type))
            {
                var dict = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(args))!;
                dict.Add(Create(args[0], hint + "-key", depth + 1), Create(args[1], hint, depth + 1));
                if (type.IsAssignableFrom(dict.GetType())) return dict;
            }
        }
        var ctor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"{type} has no public constructor.");
        var arguments = ctor.GetParameters().Select(p => Create(p.ParameterType, p.Name!, depth + 1)).ToArray();
        return ctor.Invoke(arguments);
    }
}
