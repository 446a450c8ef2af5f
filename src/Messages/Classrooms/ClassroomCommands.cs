namespace OgActors.Messages.Classrooms;

/// <summary>Commands and queries addressed to one classroom entity (sharded by <see cref="Classroom"/>).</summary>
public interface IClassroomMessage : IOgMessage
{
    string Classroom { get; }
}

[Manifest("classroom.define")]
public sealed record DefineClassroom(string Classroom, string Network, string By) : IClassroomMessage;

[Manifest("classroom.add-computer")]
public sealed record AddComputer(
    string Classroom, string Name, string Ip, string Mac, string Repository, long CacheSizeBytes, string By) : IClassroomMessage;

[Manifest("classroom.remove-computer")]
public sealed record RemoveComputer(string Classroom, string Name, string By) : IClassroomMessage;

/// <summary>Changes the multicast defaults; null fields keep their value.</summary>
[Manifest("classroom.set-multicast")]
public sealed record SetMulticastDefaults(
    string Classroom, int? Port, string? GroupAddress, DuplexMode? Duplex, int? MaxMbps,
    int? WaitForComputers, int? MaxWaitSeconds, string By) : IClassroomMessage;

/// <summary>Changes the P2P defaults; null fields keep their value.</summary>
[Manifest("classroom.set-p2p")]
public sealed record SetP2PDefaults(string Classroom, P2PMode? Mode, int? SeedSeconds, string By) : IClassroomMessage;

/// <summary>A session deployed an image on a computer's partition.</summary>
[Manifest("classroom.record-partition")]
public sealed record RecordPartitionImage(
    string Classroom, string Computer, int Partition, string Image, int Revision, string SessionId, string By,
    string Damage = "") : IClassroomMessage; // Damage: why the partition's content is unknown (a restore failed after writing began)

/// <summary>Replies the <see cref="ClassroomView"/>, or Refused when the classroom is not defined.</summary>
[Manifest("classroom.get")]
public sealed record GetClassroom(string Classroom) : IClassroomMessage;
