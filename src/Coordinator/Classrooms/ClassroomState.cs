using OgActors.Messages.Classrooms;

namespace OgActors.Coordinator.Classrooms;

/// <summary>How each classroom event changes the classroom (null = not defined yet).</summary>
public static class ClassroomState
{
    public static ClassroomView? Apply(ClassroomView? room, IClassroomEvent evt) => evt switch
    {
        ClassroomDefined e => new ClassroomView(e.Classroom, e.Network, e.Multicast, e.P2P, [], e.At, e.By),
        ComputerAdded e => room! with
        {
            Computers = [.. room.Computers, new ComputerRecord(e.Computer, e.Ip, e.Mac, e.Repository, e.CacheSizeBytes, [])],
        },
        ComputerRemoved e => room! with { Computers = [.. room.Computers.Where(c => !Same(c.Name, e.Computer))] },
        MulticastDefaultsChanged e => room! with { Multicast = e.Multicast },
        P2PDefaultsChanged e => room! with { P2P = e.P2P },
        PartitionImageRecorded e => room! with
        {
            Computers = [.. room.Computers.Select(c => !Same(c.Name, e.Computer) ? c : c with
            {
                Partitions = [.. c.Partitions.Where(p => p.Partition != e.Partition)
                    .Append(new PartitionImage(e.Partition, e.Image, e.Revision, e.At, e.SessionId, e.Damage)).OrderBy(p => p.Partition)],
            })],
        },
        _ => room,
    };

    public static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
