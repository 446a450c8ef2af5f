namespace OgActors.Messages.Computers;

/// <summary>Events of the computer registry's journal (persistence id "computer-registry").</summary>
public interface IComputerEvent : IOgMessage
{
    string Name { get; }
}

/// <summary>A computer registered for the first time, or with a different inventory than the journal knew.</summary>
[Manifest("computer.enrolled")]
public sealed record ComputerEnrolled(ComputerInventory Inventory, DateTimeOffset At) : IComputerEvent
{
    public string Name => Inventory.Name;
}

/// <summary>
/// The registry refused a registration as computer <paramref name="Name"/> from the agent at <paramref name="From"/> (an
/// Akka address): it came from another address than the one the computer is bound to. Audited (tag computer:NAME).
/// </summary>
[Manifest("computer.registration-refused")]
public sealed record ComputerRegistrationRefused(string Name, string From, string Reason, DateTimeOffset At)
    : IComputerEvent, OgActors.Messages.Audit.IAuditedEvent
{
    public string By => $"agent at {From}";
}

/// <summary>A snapshot of the registry's persistent part: the known computers' inventories.</summary>
[Manifest("computer.registry-snapshot")]
public sealed record ComputerRegistrySnapshot(IReadOnlyList<ComputerInventory> Computers) : IOgMessage;
