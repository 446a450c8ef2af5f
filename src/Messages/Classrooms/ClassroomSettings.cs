namespace OgActors.Messages.Classrooms;

public enum DuplexMode { Full, Half }

/// <summary>P2P behaviour while downloading: leecher doesn't share, peer shares what it has, seeder serves as a master.</summary>
public enum P2PMode { Leecher, Peer, Seeder }

/// <summary>A classroom's multicast defaults (OpenGnsys <c>aulas.pormul/ipmul/modomul/velmul</c>).</summary>
/// <param name="WaitForComputers">Computers to wait for before sending; 0 = every computer of the session.</param>
[Manifest("classroom.multicast")]
public sealed record MulticastSettings(
    int Port, string GroupAddress, DuplexMode Duplex, int MaxMbps, int WaitForComputers, int MaxWaitSeconds) : IOgMessage;

/// <summary>A classroom's P2P defaults (OpenGnsys <c>aulas.modp2p/timep2p</c>).</summary>
[Manifest("classroom.p2p")]
public sealed record P2PSettings(P2PMode Mode, int SeedSeconds) : IOgMessage;

/// <summary>What was last deployed on one partition of a computer.</summary>
[Manifest("classroom.partition-image")]
/// <paramref name="Damage"/> non-empty: a restore into it failed after writing began; its content is unknown.
public sealed record PartitionImage(int Partition, string Image, int Revision, DateTimeOffset DeployedAt, string SessionId, string Damage = "") : IOgMessage;

/// <summary>A computer of a classroom. <paramref name="CacheSizeBytes"/> 0 means it has no cache.</summary>
[Manifest("classroom.computer")]
public sealed record ComputerRecord(
    string Name, string Ip, string Mac, string Repository, long CacheSizeBytes, IReadOnlyList<PartitionImage> Partitions) : IOgMessage;

/// <summary>A classroom as operators see it; also the entity's snapshot.</summary>
[Manifest("classroom.view")]
public sealed record ClassroomView(
    string Name, string Network, MulticastSettings Multicast, P2PSettings P2P,
    IReadOnlyList<ComputerRecord> Computers, DateTimeOffset DefinedAt, string DefinedBy) : IOgMessage;
