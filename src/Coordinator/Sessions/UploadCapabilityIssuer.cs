using OgActors.Coordinator.Repositories;
using OgActors.Hosting.Uploads;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Sessions;

/// <summary>
/// Gives a create-image job its upload capability: the session's image (at the repository's root), the computer, the
/// session id, the repository the job uploads to, the largest upload the job can need and the configured lifetime, signed
/// with the coordinator's upload secret. Other kinds of job carry none.
/// <para>The size limit comes from the job: the source partition's size as the computer's inventory reported it
/// (<see cref="SessionTarget.PartitionSizeBytes"/>) plus the clone tool's and compressor's worst-case overhead
/// (<see cref="WithOverhead"/>), never more than the configured ceiling <c>og.coordinator.uploads.max-image-size</c>; the
/// ceiling alone when the partition's size is not known (a computer that never reported its inventory).</para>
/// </summary>
public sealed class UploadCapabilityIssuer(UploadSettings settings)
{
    /// <summary>The capability for <paramref name="target"/>'s create-image job, limited by its source partition's size.</summary>
    public JobSpec Attach(string sessionId, SessionTarget target, JobSpec spec, DateTimeOffset now) =>
        spec.Kind != SessionKind.CreateImage ? spec
            : spec with { UploadCapability = Issue(sessionId, target.Computer, spec.Image, spec.Repository, now, MaxBytesFor(target.PartitionSizeBytes)) };

    /// <summary>As <see cref="Attach(string, SessionTarget, JobSpec, DateTimeOffset)"/> when the source partition's size is not known: the configured ceiling.</summary>
    public JobSpec Attach(string sessionId, string computer, JobSpec spec, DateTimeOffset now) =>
        spec.Kind != SessionKind.CreateImage ? spec : spec with { UploadCapability = Issue(sessionId, computer, spec.Image, spec.Repository, now) };

    /// <summary>The signed token that lets <paramref name="computer"/> upload <paramref name="image"/> to <paramref name="repository"/> in session <paramref name="sessionId"/>.</summary>
    public string Issue(string sessionId, string computer, string image, string repository, DateTimeOffset now, long? maxBytes = null) =>
        new UploadCapability(image, "", computer, sessionId, repository, maxBytes ?? settings.MaxImageBytes, now + settings.CapabilityLifetime).Encode(settings.Secret);

    /// <summary>The largest upload of an image of a partition of <paramref name="partitionBytes"/> (0 = unknown): the smaller of its worst case and the ceiling.</summary>
    public long MaxBytesFor(long partitionBytes) =>
        partitionBytes <= 0 ? settings.MaxImageBytes : Math.Min(settings.MaxImageBytes, WithOverhead(partitionBytes));

    /// <summary>
    /// The most bytes an image of a partition of <paramref name="partitionBytes"/> can take: the partition itself (a full
    /// filesystem, or dd), plus 1 % and 16 MiB for what the clone tools add (partclone's header, bitmap and block CRCs,
    /// ntfsclone's cluster records: about 0.1–0.25 %) and what a compressor adds to incompressible data (lzop, gzip, zstd, xz:
    /// well under 0.1 %).
    /// </summary>
    public static long WithOverhead(long partitionBytes) => partitionBytes + partitionBytes / 100 + (16L << 20);
}
