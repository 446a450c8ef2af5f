using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Sessions;

/// <summary>
/// How deployment sessions behave. <see cref="AvailableJobKinds"/> lists the transfer paths this release can run
/// (see <see cref="JobKinds.Of"/>); a job of any other kind fails at once with a "not available yet" reason.
/// </summary>
public sealed record SessionSettings
{
    /// <summary>Transfer paths that arrive with later issues are not in the default set.</summary>
    public IReadOnlySet<string> AvailableJobKinds { get; init; } = new HashSet<string>();

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
}
