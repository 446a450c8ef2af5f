using Akka.Actor;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Sessions;

namespace OgActors.Messages.Multicast;

/// <summary>
/// The multicast protocol between a computer's job (client node) and the <c>MulticastSessionActor</c> on the sending node
/// (a repository). One multicast transfer per (session, classroom). A computer reaches the repository's multicast manager
/// through its ClusterClient (<c>ClusterClient.Send(MulticastPaths.Manager(repository), …)</c>: the repository puts the
/// manager into the cluster's DistributedPubSub, which the coordinators' receptionists look services up in); the session
/// actor answers the computer's job actor directly, over Akka.Remote.
/// <code>
/// job ──JoinMulticast──▶ manager ──▶ session actor ──MulticastAdmitted(group, port)──▶ job (starts udp-receiver)
/// job ──MulticastReceiverReady──▶ session actor   … N ready or max wait ──▶ udp-sender starts
/// job ──MulticastReceiverProgress(bytes read), every second──▶ session actor   (straggler: MulticastMissed → unicast catch-up)
/// job ──MulticastMemberDone(received?)──▶ session actor            (late / aborted: MulticastMissed → unicast catch-up)
/// session actor ──MulticastStatus──▶ the deployment session (live view, not persisted)
/// </code>
/// </summary>
public interface IMulticastMessage : IOgMessage
{
    string SessionId { get; }
    string Computer { get; }
}

/// <summary>Where a repository's multicast manager is registered (an actor path with no address, as DistributedPubSub keys it).</summary>
public static class MulticastPaths
{
    public static string ManagerName(string repository) => "multicast-" + Uri.EscapeDataString(repository);

    public static string Manager(string repository) => "/user/" + ManagerName(repository);
}

/// <summary>
/// Computer → repository manager: this computer of <paramref name="Classroom"/> wants the image by multicast (it passed its
/// checks: target partition big enough for a direct restore, or cache room), or — <paramref name="Declined"/> non-empty —
/// it will not join, for that reason (the transfer does not wait for it). <paramref name="ClassroomComputers"/>: how many
/// computers of the session are in that classroom (what <c>WaitForComputers = 0</c> waits for). Sent again until answered.
/// </summary>
[Manifest("multicast.join")]
public sealed record JoinMulticast(
    string SessionId, string Computer, string Classroom, string Image, string Folder, int Revision, string FullSum, long SizeBytes,
    MulticastSettings Settings, int ClassroomComputers, IActorRef Member, IActorRef Session, string Declined = "") : IMulticastMessage;

/// <summary>Session actor → computer: start udp-receiver on <paramref name="Port"/> (base port; even) with rendezvous group <paramref name="Group"/>, then say ready.</summary>
[Manifest("multicast.admitted")]
public sealed record MulticastAdmitted(string SessionId, string Computer, string Group, int Port, int StartTimeoutSeconds) : IMulticastMessage;

/// <summary>Computer → session actor: its udp-receiver runs and waits for the sender.</summary>
[Manifest("multicast.ready")]
public sealed record MulticastReceiverReady(string SessionId, string Computer) : IMulticastMessage;

/// <summary>
/// Session actor → computer: the multicast will not bring it the image (it joined after the sender started, the sender
/// failed, or it was dropped); <paramref name="Reason"/> says which. The computer finishes by unicast catch-up.
/// </summary>
[Manifest("multicast.missed")]
public sealed record MulticastMissed(string SessionId, string Computer, string Reason) : IMulticastMessage;

/// <summary>
/// Computer → session actor: its part is over: <paramref name="Received"/> true when the whole stream arrived and matched
/// the full sum; false when it failed, was cancelled or fell back to unicast (<paramref name="Note"/> says why).
/// </summary>
[Manifest("multicast.member-done")]
public sealed record MulticastMemberDone(string SessionId, string Computer, bool Received, string Note) : IMulticastMessage;

/// <summary>
/// Computer → session actor, about every second while its receiver runs: how many bytes of the stream its job has read
/// (of <paramref name="TotalBytes"/>), at <paramref name="BytesPerSecond"/>. The session drops a member that falls far
/// behind the others or stops advancing (it is sent <see cref="MulticastMissed"/>, stops its receiver, and catches up by unicast).
/// </summary>
[Manifest("multicast.receiver-progress")]
public sealed record MulticastReceiverProgress(string SessionId, string Computer, long Bytes, long TotalBytes, double BytesPerSecond) : IMulticastMessage;

public enum MulticastPhase { Waiting, Sending, Done }

/// <summary>
/// Session actor → deployment session (live, not persisted; also the multicast section of <c>SessionView</c>): one
/// classroom's multicast transfer at a glance.
/// </summary>
[Manifest("multicast.status")]
public sealed record MulticastStatus(
    string SessionId, string Classroom, string Repository, string Group, int Port, MulticastPhase Phase,
    int Joined, int WaitingFor, DateTimeOffset WaitingSince, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt,
    IReadOnlyList<string> Members, IReadOnlyList<string> Late, IReadOnlyList<string> Dropped, IReadOnlyList<string> Declined,
    double SenderBytesPerSecond, long SenderBytes, string Note) : ISessionMessage;
