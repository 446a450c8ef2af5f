using Akka.Cluster.Sharding;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Images;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Domain;

/// <summary>Registry keys of the domain's actors (Akka.Hosting ActorRegistry).</summary>
public sealed class ClassroomRegion;
public sealed class ImageRegion;
public sealed class SessionRegion;
public sealed class JobDispatcherKey;
public sealed class RepositoryFileLinkerKey;

/// <summary>How messages find their entity: classrooms by lower-cased name, images by canonical name, sessions by id.</summary>
public static class EntityRouting
{
    public const int Shards = 50;

    public static IMessageExtractor Classrooms { get; } =
        HashCodeMessageExtractor.Create(Shards, m => m is IClassroomMessage c ? c.Classroom.ToLowerInvariant() : null!);

    public static IMessageExtractor Images { get; } =
        HashCodeMessageExtractor.Create(Shards, m => m is IImageMessage i ? i.Canonical : null!);

    public static IMessageExtractor Sessions { get; } =
        HashCodeMessageExtractor.Create(Shards, m => m is ISessionMessage s ? s.SessionId : null!);
}
