using Akka.Actor;
using OgActors.Messages.Classrooms;

namespace OgActors.Messages.Sessions;

/// <summary>
/// What a computer is asked to do in a session. The agent chooses the concrete path (cache, direct, …)
/// and reports it in <see cref="JobStarted"/>. A create-image job carries the <paramref name="UploadCapability"/> the
/// coordinator signed for it (the repository refuses an upload without one); other jobs carry "". <c>Classroom</c> and
/// <c>ClassroomComputers</c> (multicast): the computer's classroom and how many computers of the session are in it (what a
/// multicast's <c>WaitForComputers = 0</c> waits for). <c>Folder</c>: the OU
/// sub-folder of the repository's images directory that holds the image ("" = the top level), so the computer GETs <c>images/FOLDER/NAME.img</c>.
/// <c>Alternates</c> (restore, deploy, cache update): the other repositories holding the same content (same full sum) as
/// <c>Repository</c>, in the order to try them; a unicast transfer whose repository goes away mid-way finishes from the first
/// that answers with that content (null or empty: none, the job fails naming that).
/// </summary>
[Manifest("job.spec")]
public sealed record JobSpec(
    SessionKind Kind, JobRole Role, string Image, int ImageRevision, int Partition, string Repository,
    TransferMethod Method, MulticastSettings Multicast, P2PSettings P2P, string Master, CloneSource? Source,
    string Folder = "", string UploadCapability = "", string Classroom = "", int ClassroomComputers = 0,
    IReadOnlyList<RepositoryCopy>? Alternates = null) : IOgMessage;

/// <summary>
/// The job protocol between a session and a computer's agent. A session sends <see cref="RunJob"/>
/// (through the coordinator's job dispatcher) until the agent acknowledges it; agents answer to
/// <see cref="ReplyTo"/> (the session shard region, stable across coordinator restarts), and must be
/// idempotent: a RunJob for a job they already know makes them report where it is.
/// </summary>
public interface IJobMessage : IOgMessage
{
    string SessionId { get; }
    string Computer { get; }
}

/// <summary>
/// A job order: what a coordinator tells a computer's job runner to do (<see cref="RunJob"/>, <see cref="CancelJob"/>,
/// <see cref="JobFinishedAck"/>). With TLS on, the coordinator that sends one signs it (<see cref="Seal"/>) and the computer
/// obeys only a valid signature of a server certificate of the site; null = unsigned (og.tls.enabled = off only).
/// </summary>
public interface IJobOrder : IJobMessage
{
    JobOrderSeal? Seal { get; }
}

/// <summary>Who a signed job order is for: a computer (it obeys it), or the job dispatcher (it sends it on, signed again).</summary>
public enum JobOrderAudience { Computer, Dispatcher }

/// <summary>
/// A coordinator's signature on a job order: who it is for, its certificate (DER, base64), when it was signed and until when
/// it may be obeyed, a random nonce (a computer obeys each order once), and the signature (base64) with the certificate's key
/// over the canonical payload (audience, order type, session, computer, the SHA-256 of a RunJob's spec, the times, the nonce;
/// see JobOrderPayload).
/// </summary>
[Manifest("job.order-seal")]
public sealed record JobOrderSeal(
    JobOrderAudience Audience, string Certificate, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string Nonce, string Signature) : IOgMessage;

/// <summary>Session → agent: run this job (or, if you already have it, report where it is).</summary>
[Manifest("job.run")]
public sealed record RunJob(string SessionId, string Computer, JobSpec Spec, IActorRef ReplyTo, JobOrderSeal? Seal = null) : IJobOrder;

/// <summary>Agent → session: the job is known and will run (or is running).</summary>
[Manifest("job.accepted")]
public sealed record JobAccepted(string SessionId, string Computer) : IJobMessage, ISessionMessage;

/// <summary>Dispatcher or agent → session: the job waits (computer busy with another session, or offline).</summary>
[Manifest("job.queued")]
/// <param name="Offline">True when the job waits because the computer (its agent) is offline, not merely busy.</param>
public sealed record JobQueued(string SessionId, string Computer, string Reason, bool Offline = false) : IJobMessage, ISessionMessage;

/// <summary>Agent → session: the job began on <paramref name="Path"/> ("cache", "direct unicast", …) for <paramref name="Reason"/>.</summary>
[Manifest("job.started")]
public sealed record JobStarted(string SessionId, string Computer, string Path, string Reason) : IJobMessage, ISessionMessage;

[Manifest("job.progress")]
/// <param name="Peers">Torrent: the peers the computer's aria2 is connected to (0 for other protocols).</param>
public sealed record JobProgress(
    string SessionId, string Computer, long Bytes, long TotalBytes, double BytesPerSecond, TimeSpan? Eta, int Peers = 0)
    : IJobMessage, ISessionMessage;

/// <summary>Agent (or dispatcher, for a job that cannot run) → session: the job ended. Resent until acknowledged.</summary>
/// <param name="Bytes">Bytes this job transferred, over all its attempts (a resumed download counts what its earlier attempts fetched).</param>
/// <param name="Duration">The job's time, over all its attempts.</param>
/// <param name="ResumedFrom">The offset a download resumed from (0 = not resumed).</param>
/// <param name="Attempt">Which attempt of this job (same session, same computer) ended it: 1 = the first.</param>
[Manifest("job.finished")]
public sealed record JobFinished(
    string SessionId, string Computer, JobOutcome Outcome, string Path, string Reason, long Bytes,
    TimeSpan Duration, string Error, RestoredContent? Restored = null, long ResumedFrom = 0, int Attempt = 1) : IJobMessage, ISessionMessage;

/// <summary>
/// What a restore actually put on the partition: the full MD5 of the image bytes restored, the revision when the computer
/// knows it (0 = the coordinator maps the sum), and whether the partition was written at all (a failure after writing began
/// leaves it damaged).
/// </summary>
[Manifest("job.restored")]
public sealed record RestoredContent(string FullSum, int Revision, bool PartitionWritten) : IOgMessage;

/// <summary>Session → agent: the outcome is persisted; stop resending it.</summary>
[Manifest("job.finished-ack")]
public sealed record JobFinishedAck(string SessionId, string Computer, JobOrderSeal? Seal = null) : IJobOrder;

/// <summary>Session → dispatcher: route this job to its computer when the computer is free and online.</summary>
[Manifest("job.dispatch")]
public sealed record DispatchJob(RunJob Job) : IOgMessage;

/// <summary>
/// Session → dispatcher → agent: the session was cancelled; drop this job if it is queued, stop it if it runs (its tools are
/// killed, a partial cache copy stays for a later resume). The agent answers JobFinished with outcome Cancelled.
/// </summary>
[Manifest("job.cancel")]
public sealed record CancelJob(string SessionId, string Computer, JobOrderSeal? Seal = null) : IJobOrder;

/// <summary>
/// Session → dispatcher: the computer's job in this session is over; the computer is free. With TLS on the session signs it
/// for the dispatcher, like the orders it hands it: believed from anyone, it would let the next queued job start while this one runs.
/// </summary>
[Manifest("job.release")]
public sealed record ReleaseComputer(string SessionId, string Computer, JobOrderSeal? Seal = null) : IJobOrder;

/// <summary>
/// The computer registry → dispatchers (DistributedPubSub topic JobKinds.AgentsTopic, or the node's EventStream): a computer's agent is online, and
/// which job kinds it can run (e.g. "Restore/Unicast", "CreateImage/Unicast"; see JobKinds).
/// </summary>
[Manifest("job.agent-available")]
public sealed record AgentAvailable(string Computer, IActorRef Agent, IReadOnlyList<string> JobKinds) : IOgMessage;

/// <summary>Coordinator → dispatcher: an operator removed the computer from its classroom; its jobs not yet started end.</summary>
[Manifest("job.computer-removed")]
public sealed record ComputerRemovedFromClassroom(string Computer, string Classroom, string By) : IOgMessage;

/// <summary>The computer registry → dispatcher: the computer's agent went away.</summary>
[Manifest("job.agent-gone")]
public sealed record AgentGone(string Computer) : IOgMessage;

/// <summary>
/// Dispatcher → sessions (DistributedPubSub topic JobKinds.DispatcherTopic): the cluster's job dispatcher (re)started, e.g. on
/// another coordinator after its own went away, and knows no job; sessions send their unfinished jobs again.
/// </summary>
[Manifest("job.dispatcher-started")]
public sealed record JobDispatcherStarted(IActorRef Dispatcher, DateTimeOffset At) : IOgMessage;

public static class JobKinds
{
    /// <summary>DistributedPubSub topic on which the computer registry publishes <see cref="AgentAvailable"/> / <see cref="AgentGone"/>.</summary>
    public const string AgentsTopic = "og.computer.agents";

    /// <summary>DistributedPubSub topic on which a job dispatcher that (re)started says so (<see cref="JobDispatcherStarted"/>).</summary>
    public const string DispatcherTopic = "og.job-dispatcher";

    /// <summary>The capability name of a job: "Restore/Unicast", "CloneRemote/Multicast", …</summary>
    public static string Of(SessionKind kind, TransferMethod method) => $"{kind}/{method}";

    /// <summary>The multicast job kinds (udpcast): a client node announces them only when <c>udp-receiver</c> is on its PATH.</summary>
    public static IReadOnlyList<string> Multicast { get; } =
    [
        Of(SessionKind.Restore, TransferMethod.Multicast),
        Of(SessionKind.DeployImage, TransferMethod.Multicast),
        Of(SessionKind.UpdateCache, TransferMethod.Multicast),
        Of(SessionKind.CloneRemote, TransferMethod.Multicast),
    ];

    /// <summary>The unicast job kinds: every client node runs them (HTTP needs no extra tool), so a computer whose runner has not announced yet gets these.</summary>
    public static IReadOnlyList<string> Unicast { get; } =
    [
        Of(SessionKind.CreateImage, TransferMethod.Unicast),
        Of(SessionKind.Restore, TransferMethod.Unicast),
        Of(SessionKind.DeployImage, TransferMethod.Unicast),
        Of(SessionKind.UpdateCache, TransferMethod.Unicast),
        Of(SessionKind.CloneRemote, TransferMethod.Unicast),
    ];

    /// <summary>The torrent job kinds (aria2): a client node announces them only when <c>aria2c</c> is on its PATH.</summary>
    public static IReadOnlyList<string> Torrent { get; } =
    [
        Of(SessionKind.Restore, TransferMethod.Torrent),
        Of(SessionKind.DeployImage, TransferMethod.Torrent),
        Of(SessionKind.UpdateCache, TransferMethod.Torrent),
    ];

    /// <summary>
    /// Every job kind a client node of this release can run (unicast always; multicast when udpcast is installed; torrent when aria2 is): its job
    /// runner announces the subset its tools allow, and the coordinator dispatches on that announcement. Anything else
    /// fails per computer with "not available yet". (Declared after Unicast and Multicast: static initialisers run in order.)
    /// </summary>
    public static IReadOnlyList<string> ThisRelease { get; } = [.. Unicast, .. Multicast, .. Torrent];

}
