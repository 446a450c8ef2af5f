using Akka.Actor;

namespace OgActors.Messages.Computers;

/// <summary>
/// The protocol of the computer registry (a cluster singleton on the coordinators, reached by computers through
/// ClusterClient at <see cref="ComputerRegistryPaths.Service"/>).
/// </summary>
public interface IComputerRegistryMessage : IOgMessage;

/// <summary>
/// An agent announces its computer. <paramref name="Agent"/> is the agent itself (ClusterClient hides the real
/// sender), which the registry watches and keeps so later protocols can send the computer jobs. Sent again until
/// acknowledged, and again whenever the agent loses sight of the registry.
/// </summary>
[Manifest("computer.register")]
public sealed record RegisterComputer(ComputerInventory Inventory, IActorRef Agent) : IComputerRegistryMessage;

/// <summary>The registry's acknowledgement, told to the agent directly; its sender is the registry, which the agent watches.</summary>
[Manifest("computer.registered")]
public sealed record ComputerRegistered(string Name, DateTimeOffset OnlineSince) : IComputerRegistryMessage;

/// <summary>A clean shutdown: the computer goes offline at once instead of after the failure detector's pause.</summary>
[Manifest("computer.unregister")]
public sealed record UnregisterComputer(string Name, IActorRef Agent) : IComputerRegistryMessage;

/// <summary>The reply to <see cref="UnregisterComputer"/>.</summary>
[Manifest("computer.unregistered")]
public sealed record ComputerUnregistered(string Name) : IComputerRegistryMessage;

/// <summary>Query: every known computer, or only the online ones.</summary>
[Manifest("computer.list")]
public sealed record ListComputers(bool OnlineOnly = false) : IComputerRegistryMessage;

/// <summary>Reply to <see cref="ListComputers"/>, sorted by name.</summary>
[Manifest("computer.list-reply")]
public sealed record ComputerList(IReadOnlyList<ComputerStatus> Computers) : IComputerRegistryMessage;

/// <summary>Query: one computer by name; answered with <see cref="ComputerStatus"/> or <see cref="Common.Refused"/>.</summary>
[Manifest("computer.get")]
public sealed record GetComputer(string Name) : IComputerRegistryMessage;

/// <summary>
/// A computer as the registry sees it. <paramref name="Agent"/> is the agent to send jobs to while
/// <paramref name="Online"/>; <paramref name="Since"/> is when it last went online or offline.
/// </summary>
[Manifest("computer.status")]
public sealed record ComputerStatus(
    ComputerInventory Inventory,
    bool Online,
    DateTimeOffset Since,
    string OfflineReason,
    IActorRef Agent) : IComputerRegistryMessage
{
    public string Name => Inventory.Name;
}

public static class ComputerRegistryPaths
{
    /// <summary>The ClusterClient service path of the registry (the singleton proxy on each coordinator).</summary>
    public const string Service = "/user/computer-registry-proxy";

    /// <summary>The well-known name of a computer's agent: <c>/user/computer-agent</c> on every client node.</summary>
    public const string AgentName = "computer-agent";
}
