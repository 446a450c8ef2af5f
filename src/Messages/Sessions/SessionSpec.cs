using OgActors.Messages.Classrooms;

namespace OgActors.Messages.Sessions;

/// <summary>The operator command a deployment session carries out.</summary>
public enum SessionKind { CreateImage, Restore, UpdateCache, DeployImage, CloneRemote }

public enum TransferMethod { Unicast, Multicast, Torrent }

/// <summary>What the master of a remote clone sends: a partition, an image of its cache, or one of its repository.</summary>
public enum CloneSourceKind { Partition, CacheImage, RepositoryImage }

/// <summary>A computer's part in a session.</summary>
public enum JobRole { Single, Master, Receiver }

[Manifest("session.clone-source")]
public sealed record CloneSource(CloneSourceKind Kind, int Partition, string Image) : IOgMessage;

/// <summary>The transfer parameters in force for one classroom: its defaults plus the command's overrides.</summary>
[Manifest("session.parameters")]
public sealed record TransferParameters(MulticastSettings Multicast, P2PSettings P2P) : IOgMessage;

/// <summary>One computer a session acts on, resolved from the scope when the session was created.</summary>
/// <param name="PartitionSizeBytes">The size of the session's partition on this computer (a create-image job's source, a
/// restore's target) as the computer's inventory reported it when the session was planned; 0 = not known (never reported).</param>
[Manifest("session.target")]
public sealed record SessionTarget(
    string Computer, string Classroom, string Ip, string Mac, string Repository, long CacheSizeBytes, JobRole Role,
    long PartitionSizeBytes = 0) : IOgMessage;

/// <summary>
/// Everything a session needs, resolved by the coordinator from the operator's command: scope to targets,
/// classroom defaults plus overrides to <paramref name="ParametersByClassroom"/>.
/// </summary>
/// <param name="Image">Canonical name of the image ("" for a remote clone of a partition).</param>
/// <param name="ImageRevision">The image's revision when the session was created (recorded on restored partitions).</param>
/// <param name="Repository">The repository the command names ("" = each computer's assigned repository).</param>
/// <param name="Master">The master computer of a remote clone, "" otherwise.</param>
/// <param name="Folders">Where each repository holds the image: repository → OU sub-folder ("" or absent = the top level).</param>
/// <param name="OfflineTimeout">How long a job may wait for an offline computer before it fails (null: the coordinator's default).</param>
/// <param name="Copies">Every ready copy of the image on a repository (not a computer's cache) when the session was planned,
/// repositories online then first: where each job's alternates come from (fail-over when its repository goes away).</param>
[Manifest("session.plan")]
public sealed record SessionPlan(
    SessionKind Kind, string Image, int ImageRevision, int Partition, string Repository, TransferMethod Method,
    string Master, CloneSource? Source, IReadOnlyList<SessionTarget> Targets,
    IReadOnlyDictionary<string, TransferParameters> ParametersByClassroom, TimeSpan? OfflineTimeout = null,
    IReadOnlyDictionary<string, string>? Folders = null,
    IReadOnlyDictionary<string, int>? ImageRevisions = null, // full sum → revision of every content the image has had
    IReadOnlyList<RepositoryCopy>? Copies = null) : IOgMessage;
