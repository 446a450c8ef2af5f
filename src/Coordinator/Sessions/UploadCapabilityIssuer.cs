using OgActors.Coordinator.Repositories;
using OgActors.Hosting.Uploads;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Sessions;

/// <summary>
/// Gives a create-image job its upload capability: the session's image (at the repository's root), the computer, the
/// session id, the repository the job uploads to, the configured largest image and the configured lifetime, signed with
/// the coordinator's upload secret. Other kinds of job carry none.
/// </summary>
public sealed class UploadCapabilityIssuer(UploadSettings settings)
{
    public JobSpec Attach(string sessionId, string computer, JobSpec spec, DateTimeOffset now) =>
        spec.Kind != SessionKind.CreateImage ? spec : spec with { UploadCapability = Issue(sessionId, computer, spec.Image, spec.Repository, now) };

    /// <summary>The signed token that lets <paramref name="computer"/> upload <paramref name="image"/> to <paramref name="repository"/> in session <paramref name="sessionId"/>.</summary>
    public string Issue(string sessionId, string computer, string image, string repository, DateTimeOffset now) =>
        new UploadCapability(image, "", computer, sessionId, repository, settings.MaxImageBytes, now + settings.CapabilityLifetime).Encode(settings.Secret);
}
