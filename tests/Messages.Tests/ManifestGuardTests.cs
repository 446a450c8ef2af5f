using System.Reflection;
using System.Reflection.Emit;
using OgActors.Messages.Serialization;

namespace OgActors.Messages.Tests;

/// <summary>
/// [Manifest] and <see cref="IOgMessage"/> name the same set of types: a manifest on a type the serializer binding does
/// not reach would let it cross nodes with the default serializer, so the registry refuses it at start-up.
/// </summary>
public sealed class ManifestGuardTests
{
    private static readonly Assembly Messages = typeof(IOgMessage).Assembly;

    [Fact]
    public void Every_type_carrying_a_manifest_is_an_og_message()
    {
        var offenders = Messages.GetTypes()
            .Where(t => t.GetCustomAttribute<ManifestAttribute>() is not null && !typeof(IOgMessage).IsAssignableFrom(t))
            .Select(t => t.FullName).ToList();
        offenders.Should().BeEmpty("a [Manifest] type that is not an IOgMessage would fall back to the default serializer");
    }

    [Fact]
    public void Every_concrete_og_message_carries_a_manifest_and_is_registered()
    {
        var messages = Messages.GetTypes().Where(t => typeof(IOgMessage).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface).ToList();
        messages.Where(t => t.GetCustomAttribute<ManifestAttribute>() is null).Select(t => t.FullName).Should().BeEmpty();
        ManifestRegistry.Instance.Types.Should().BeEquivalentTo(messages);
    }

    [Fact]
    public void Every_public_record_of_the_message_assembly_is_an_og_message()
    {
        // records are what crosses actor boundaries here (commands, events, replies, views and their parts)
        var records = Messages.GetTypes()
            .Where(t => t.IsPublic && t.IsClass && !t.IsAbstract && t.GetMethod("<Clone>$") is not null)
            .Where(t => !typeof(IOgMessage).IsAssignableFrom(t))
            .Select(t => t.FullName).ToList();
        records.Should().BeEmpty("every record in src/Messages can be sent or nested in something sent");
    }

    [Theory]
    [InlineData(typeof(Sessions.SessionView))]
    [InlineData(typeof(Sessions.JobView))]
    [InlineData(typeof(Classrooms.ClassroomView))]
    [InlineData(typeof(Images.ImageView))]
    [InlineData(typeof(Profiles.SoftwareProfile))]
    [InlineData(typeof(Profiles.ProfileDiff))]
    [InlineData(typeof(Audit.AuditEntry))]
    public void The_views_and_replies_are_registered(Type view) =>
        ManifestRegistry.Instance.Types.Should().Contain(view);

    [Fact]
    public void The_registry_refuses_a_manifest_on_a_type_that_is_not_a_message()
    {
        var assembly = AssemblyWithStrayManifest("StrayReply", "stray.reply");
        var act = () => ManifestRegistry.FromAssembly(assembly);
        act.Should().Throw<InvalidOperationException>()
            .WithMessage("*StrayReply carries [Manifest(\"stray.reply\")] but does not implement IOgMessage*");
    }

    /// <summary>An in-memory assembly holding one class with [Manifest] and no IOgMessage.</summary>
    private static Assembly AssemblyWithStrayManifest(string typeName, string manifest)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Stray" + Guid.NewGuid().ToString("N")), AssemblyBuilderAccess.Run);
        var module = assembly.DefineDynamicModule("stray");
        var type = module.DefineType(typeName, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class);
        type.SetCustomAttribute(new CustomAttributeBuilder(typeof(ManifestAttribute).GetConstructor([typeof(string)])!, [manifest]));
        type.DefineDefaultConstructor(MethodAttributes.Public);
        type.CreateType();
        return assembly;
    }
}
