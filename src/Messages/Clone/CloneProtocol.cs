using Akka.Actor;
using OgActors.Messages.Sessions;

namespace OgActors.Messages.Clone;

/// <summary>
/// The remote-cloning protocol (clone-remote): the master computer's <c>MasterClientActor</c>, the deployment session
/// (coordinator) and each receiver's <c>CloneReceiverActor</c>. The session is the meeting point: receivers do not know the
/// master's address, the session does not relay a byte.
/// <code>
/// master   ──CloneOffer (what it sends, where to join)──▶ session   (again every few seconds while it serves)
/// receiver ──CloneJoinRequest──▶ session ──CloneOffer──▶ receiver   (or CloneAborted: the master failed / went offline)
/// receiver ──JoinMulticast──▶ master's MulticastSessionActor         (--method multicast; the same protocol as a repository's)
/// receiver ──TCP connect──▶ master's fan-out port                    (--method unicast)
/// receiver ──CloneStreamHashQuery──▶ master ──CloneStreamHash──▶ receiver   (PART: both sides' MD5 of the stream)
/// receiver ──CloneReceiverDone──▶ master                              (the master's job ends once every receiver is done or dropped)
/// </code>
/// </summary>
public interface ICloneMessage : IOgMessage
{
    string SessionId { get; }
    string Computer { get; }
}

/// <summary>
/// Master → session → receivers: what the master sends and how to receive it. <paramref name="Tool"/>, <paramref name="Compressor"/>,
/// <paramref name="Filesystem"/> and <paramref name="RequiredBytes"/> are what a receiver checks its partition against before joining
/// (OpenGnsys's <c>TOOL:COMPRESSOR:FS:SIZEKB</c>). <paramref name="StreamSum"/>: the full MD5 of the image (IMG-*), or for a live
/// partition capture (PART) the stream's identity token (its MD5 is known only at the end: <see cref="CloneStreamHash"/>).
/// <paramref name="StreamSize"/>: the image's bytes (0 for PART: unknown until the capture ends). <paramref name="Master"/>: the
/// master's actor (hash queries, done reports); <paramref name="Multicast"/>: its multicast session actor (null for unicast);
/// <paramref name="Host"/>/<paramref name="Port"/>: its TCP fan-out (unicast). <paramref name="Description"/>: "image X revision 2
/// from pc01's cache", "pc01's partition 1 (ext4, live capture)".
/// </summary>
[Manifest("clone.offer")]
public sealed record CloneOffer(
    string SessionId, string Computer, CloneSourceKind Source, string Image, int Revision, string Tool, string Compressor,
    string Filesystem, long RequiredBytes, string StreamSum, long StreamSize, TransferMethod Method, IActorRef Master,
    IActorRef? Multicast, string Host, int Port, string Description) : ICloneMessage, ISessionMessage;

/// <summary>Receiver → session: where is the master's stream? Answered with <see cref="CloneOffer"/> once the master offered, or <see cref="CloneAborted"/>.</summary>
[Manifest("clone.join-request")]
public sealed record CloneJoinRequest(string SessionId, string Computer, IActorRef Receiver) : ICloneMessage, ISessionMessage;

/// <summary>Session → receiver: the master will not serve (its job failed, it went offline); the receiver fails at once with <paramref name="Reason"/>.</summary>
[Manifest("clone.aborted")]
public sealed record CloneAborted(string SessionId, string Computer, string Reason) : ICloneMessage;

/// <summary>Receiver → master: the MD5 and length of the stream you sent (asked once the receiver has the whole stream).</summary>
[Manifest("clone.hash-query")]
public sealed record CloneStreamHashQuery(string SessionId, string Computer) : ICloneMessage;

/// <summary>Master → receiver: the MD5 and length of the stream it sent (answered once its capture has ended).</summary>
[Manifest("clone.hash")]
public sealed record CloneStreamHash(string SessionId, string Computer, string Md5, long Bytes) : ICloneMessage;

/// <summary>Receiver → master: its part is over (<paramref name="Succeeded"/>, and why not).</summary>
[Manifest("clone.receiver-done")]
public sealed record CloneReceiverDone(string SessionId, string Computer, bool Succeeded, long Bytes, string Note) : ICloneMessage;
