using OgActors.Messages.Audit;

namespace OgActors.Messages.Classrooms;

public interface IClassroomEvent : IAuditedEvent
{
    string Classroom { get; }
}

[Manifest("classroom.defined")]
public sealed record ClassroomDefined(
    string Classroom, string Network, MulticastSettings Multicast, P2PSettings P2P, string By, DateTimeOffset At) : IClassroomEvent;

[Manifest("classroom.computer-added")]
public sealed record ComputerAdded(
    string Classroom, string Computer, string Ip, string Mac, string Repository, long CacheSizeBytes,
    string By, DateTimeOffset At) : IClassroomEvent;

[Manifest("classroom.computer-removed")]
public sealed record ComputerRemoved(string Classroom, string Computer, string By, DateTimeOffset At) : IClassroomEvent;

[Manifest("classroom.multicast-changed")]
public sealed record MulticastDefaultsChanged(string Classroom, MulticastSettings Multicast, string By, DateTimeOffset At)
    : IClassroomEvent;

[Manifest("classroom.p2p-changed")]
public sealed record P2PDefaultsChanged(string Classroom, P2PSettings P2P, string By, DateTimeOffset At) : IClassroomEvent;

[Manifest("classroom.partition-recorded")]
public sealed record PartitionImageRecorded(
    string Classroom, string Computer, int Partition, string Image, int Revision, string SessionId,
    string By, DateTimeOffset At, string Damage = "") : IClassroomEvent;
