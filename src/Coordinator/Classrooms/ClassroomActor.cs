using Akka.Actor;
using Akka.Persistence;
using OgActors.Coordinator.Domain;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;

namespace OgActors.Coordinator.Classrooms;

/// <summary>
/// One classroom, event-sourced (persistence id <c>classroom-NAME</c>): its network, computers, multicast and
/// P2P defaults, and what is deployed on each computer's partitions. Validates every command; replies
/// Accepted / Refused(one sentence) / ClassroomView.
/// </summary>
public sealed class ClassroomActor : ReceivePersistentActor
{
    private readonly string _name;
    private ClassroomView? _room;

    public ClassroomActor(string name)
    {
        _name = name;
        Recover<IClassroomEvent>(e => _room = ClassroomState.Apply(_room, e));
        Command<DefineClassroom>(Define);
        Command<GetClassroom>(_ => Sender.Tell(_room is null ? NotDefined() : _room));
        Command<AddComputer>(cmd => WhenDefined(room => AddComputer(room, cmd)));
        Command<RemoveComputer>(cmd => WhenDefined(room => RemoveComputer(room, cmd)));
        Command<SetMulticastDefaults>(cmd => WhenDefined(room => SetMulticast(room, cmd)));
        Command<SetP2PDefaults>(cmd => WhenDefined(room => SetP2P(room, cmd)));
        Command<RecordPartitionImage>(cmd => WhenDefined(room => RecordPartition(room, cmd)));
    }

    public override string PersistenceId => PersistenceIds.Classroom(_name);

    public static Props Props(string name) => Akka.Actor.Props.Create(() => new ClassroomActor(name));

    private void Define(DefineClassroom cmd)
    {
        if (_room is not null) { Sender.Tell(new Refused($"Classroom {_room.Name} is already defined.")); return; }
        if (Names.Check("classroom name", cmd.Classroom) is { } badName) { Sender.Tell(new Refused(badName)); return; }
        if (ClassroomRules.CheckNetwork(cmd.Network, out var network) is { } badNet) { Sender.Tell(new Refused(badNet)); return; }
        Save(new ClassroomDefined(cmd.Classroom, network.ToString(), ClassroomRules.DefaultMulticast(network),
            ClassroomRules.DefaultP2P, cmd.By, Now), cmd.Classroom);
    }

    private void AddComputer(ClassroomView room, AddComputer cmd)
    {
        var repository = cmd.Repository?.Trim() ?? "";
        if (ClassroomRules.CheckComputer(room, cmd.Name, cmd.Ip, cmd.Mac, repository, cmd.CacheSizeBytes) is { } bad)
        { Sender.Tell(new Refused(bad)); return; }
        Save(new ComputerAdded(room.Name, cmd.Name, System.Net.IPAddress.Parse(cmd.Ip).ToString(),
            ClassroomRules.NormalizeMac(cmd.Mac)!, repository, cmd.CacheSizeBytes, cmd.By, Now), cmd.Name);
    }

    private void RemoveComputer(ClassroomView room, RemoveComputer cmd)
    {
        if (Find(room, cmd.Name) is not { } computer) { Sender.Tell(NoComputer(room, cmd.Name)); return; }
        Save(new ComputerRemoved(room.Name, computer.Name, cmd.By, Now), computer.Name);
    }

    private void SetMulticast(ClassroomView room, SetMulticastDefaults cmd)
    {
        var m = room.Multicast;
        var changed = new MulticastSettings(cmd.Port ?? m.Port, cmd.GroupAddress ?? m.GroupAddress, cmd.Duplex ?? m.Duplex,
            cmd.MaxMbps ?? m.MaxMbps, cmd.WaitForComputers ?? m.WaitForComputers, cmd.MaxWaitSeconds ?? m.MaxWaitSeconds);
        if (ClassroomRules.CheckMulticast(changed) is { } bad) { Sender.Tell(new Refused(bad)); return; }
        Save(new MulticastDefaultsChanged(room.Name, changed, cmd.By, Now), room.Name);
    }

    private void SetP2P(ClassroomView room, SetP2PDefaults cmd)
    {
        var changed = new P2PSettings(cmd.Mode ?? room.P2P.Mode, cmd.SeedSeconds ?? room.P2P.SeedSeconds);
        if (ClassroomRules.CheckP2P(changed) is { } bad) { Sender.Tell(new Refused(bad)); return; }
        Save(new P2PDefaultsChanged(room.Name, changed, cmd.By, Now), room.Name);
    }

    private void RecordPartition(ClassroomView room, RecordPartitionImage cmd)
    {
        if (Find(room, cmd.Computer) is not { } computer) { Sender.Tell(NoComputer(room, cmd.Computer)); return; }
        // Without stashing the next commands: a session over a whole classroom records every computer at about the same
        // time, and these records go to the journal in one write instead of one round trip each. Safe, because a record
        // decides on nothing a record changes (only that the computer is in the classroom; adding and removing computers
        // still wait for their own write, after the records before them).
        var replyTo = Sender;
        PersistAsync(new PartitionImageRecorded(room.Name, computer.Name, cmd.Partition, cmd.Image, cmd.Revision, cmd.SessionId,
            cmd.By, Now, cmd.Damage), e =>
        {
            _room = ClassroomState.Apply(_room, e);
            replyTo.Tell(new Accepted(e.Computer));
        });
    }

    private void WhenDefined(Action<ClassroomView> handle)
    {
        if (_room is null) Sender.Tell(NotDefined());
        else handle(_room);
    }

    private void Save(IClassroomEvent evt, string id)
    {
        var replyTo = Sender;
        Persist(evt, e =>
        {
            _room = ClassroomState.Apply(_room, e);
            replyTo.Tell(new Accepted(id));
        });
    }

    private static ComputerRecord? Find(ClassroomView room, string name) =>
        room.Computers.FirstOrDefault(c => ClassroomState.Same(c.Name, name));

    private Refused NotDefined() => new($"Classroom {_name} does not exist.");
    private static Refused NoComputer(ClassroomView room, string name) => new($"Classroom {room.Name} has no computer named {name}.");
    private static DateTimeOffset Now => DateTimeOffset.UtcNow;
}
