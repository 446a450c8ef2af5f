namespace OgActors.Messages.Computers;

/// <summary>
/// Published by the computer registry on the DistributedPubSub topic <see cref="ComputerTopics.Presence"/> whenever a
/// computer goes online or offline, so sessions can react to a computer that vanished mid-job.
/// </summary>
[Manifest("computer.presence")]
public sealed record ComputerPresenceChanged(string Name, bool Online, DateTimeOffset Since, string Reason) : IOgMessage;

public static class ComputerTopics
{
    /// <summary>DistributedPubSub topic of <see cref="ComputerPresenceChanged"/>.</summary>
    public const string Presence = "og.computers.presence";
}
