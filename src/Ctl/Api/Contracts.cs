namespace OgActors.Ctl.Api;

// The JSON shapes of the coordinator's operator API (src/Coordinator/Api), as ogctl reads them.

public sealed record ClusterMember(string Address, IReadOnlyList<string> Roles, string Status, string Reachability, bool Leader, bool Self);

public sealed record ClusterState(string Self, string? Leader, IReadOnlyList<ClusterMember> Members);

public sealed record MemberAction(string Address, string Message);

public sealed record Partition(int Number, string Device, long SizeBytes, string Filesystem, string? Image = null, int ImageRevision = 0, DateTimeOffset? DeployedAt = null);

public sealed record Cache(string Directory, long CapacityBytes, long FreeBytes, IReadOnlyList<CachedImage>? Images = null);

public sealed record CachedImage(string Name, long SizeBytes, string Sum, string FullSum);

public sealed record Computer(
    string Name, string Ip, string Mac, bool Online, DateTimeOffset Since, string OfflineReason,
    IReadOnlyList<Partition> Partitions, Cache Cache, string? Agent, IReadOnlyList<string>? Warnings = null);
