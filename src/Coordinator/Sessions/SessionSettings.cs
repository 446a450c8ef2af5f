using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Sessions;

/// <summary>
/// How deployment sessions behave. Which job kinds a computer can run is not a setting: each computer's agent announces
/// them and the <see cref="JobDispatcher"/> sends a job only where its kind was announced (a job of another kind fails at
/// once for that computer, naming the kind it lacks).
/// </summary>
public sealed record SessionSettings
{
    /// <summary>Every job kind there is (every <see cref="SessionKind"/> by every <see cref="TransferMethod"/>, see <see cref="JobKinds.Of"/>).</summary>
    public static IReadOnlySet<string> EveryJobKind { get; } =
        Enum.GetValues<SessionKind>().SelectMany(k => Enum.GetValues<TransferMethod>().Select(m => JobKinds.Of(k, m))).ToHashSet();

    /// <summary>
    /// The job kinds sessions may send to computers at all: every kind (the default, and what the coordinator runs), so the
    /// agents' announcements alone decide. A host may narrow it (the session benchmark does); a session of a kind outside it
    /// fails every computer at once with "not available yet in this release".
    /// </summary>
    public IReadOnlySet<string> AvailableJobKinds { get; init; } = EveryJobKind;

    /// <summary>How often a session sends again the jobs no computer (nor the dispatcher) has acknowledged.</summary>
    public TimeSpan ResendInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a job may wait for its computer while the computer is offline (or has not answered since a coordinator
    /// restart) before it fails with that reason; a command's own limit (<c>--offline-timeout</c>) wins.
    /// Configuration: <c>og.coordinator.sessions.offline-timeout</c>.
    /// </summary>
    public TimeSpan OfflineTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an ended session stays in memory before it passivates.</summary>
    public TimeSpan IdleAfterEnd { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Signs create-image jobs' upload capabilities; null = jobs carry none (repositories then refuse the upload).</summary>
    public UploadCapabilityIssuer? Uploads { get; init; }

    /// <summary>
    /// Signs the job orders for computers with this coordinator's server certificate (og.tls on): the session signs the
    /// RunJob and CancelJob it hands the dispatcher and the JobFinishedAck it sends a computer; the dispatcher signs each
    /// RunJob and CancelJob again as it sends it. Null = orders go unsigned: only for og.tls.enabled = off, where computers
    /// obey them from a coordinator's address alone (the dispatcher logs that as a warning when it starts).
    /// </summary>
    public OgActors.Hosting.Tls.JobOrderSigner? Orders { get; init; }

    /// <summary>
    /// The dispatcher's check of the orders sessions hand it (og.tls on): a coordinator's valid signature, so the dispatcher
    /// never signs what a process that merely reached it (a lab PC with the site's computer certificate) asks it to send.
    /// Null = taken unchecked (og.tls off).
    /// </summary>
    public OgActors.Hosting.Tls.JobOrderVerifier? OrderCheck { get; init; }

    /// <summary>
    /// A computer's registered agent (null when it is not online), from the computer registry. With it, a session takes a
    /// job report for a computer only from that agent's node or from the coordinators' side (see <see cref="JobReportSenders"/>),
    /// and the job dispatcher takes the registry's presence news (<see cref="OgActors.Messages.Sessions.AgentAvailable"/> without job kinds,
    /// <see cref="OgActors.Messages.Sessions.AgentGone"/>) only as a cue to ask the registry itself: anyone who reaches a
    /// coordinator can publish such news (a ClusterClient on a lab PC can), and believing it would hand that computer's
    /// orders — a create-image job's upload capability among them — to the publisher. Null = no registry to ask (unit
    /// hosts): reports are taken from anyone and the news is believed.
    /// </summary>
    public Func<string, Task<Akka.Actor.IActorRef?>>? RegisteredAgent { get; init; }
}
