using OgActors.Messages.Audit;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Images;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Audit;

/// <summary>The audit timeline's vocabulary: what each event says, in the operator's words.</summary>
public static class AuditDescriber
{
    public static AuditEntry Describe(long offset, IAuditedEvent evt)
    {
        var (subject, action, details) = evt switch
        {
            ClassroomDefined e => ($"classroom {e.Classroom}", "defined",
                $"network {e.Network}; multicast {e.Multicast.GroupAddress}:{e.Multicast.Port}; p2p {e.P2P.Mode.ToString().ToLowerInvariant()}"),
            ComputerAdded e => ($"classroom {e.Classroom}", "computer added",
                $"{e.Computer} ip {e.Ip} mac {e.Mac}{(e.Repository.Length > 0 ? $" repo {e.Repository}" : "")}{(e.CacheSizeBytes > 0 ? $" cache {Size(e.CacheSizeBytes)}" : "")}"),
            ComputerRemoved e => ($"classroom {e.Classroom}", "computer removed", e.Computer),
            MulticastDefaultsChanged e => ($"classroom {e.Classroom}", "multicast defaults changed",
                $"port {e.Multicast.Port}, group {e.Multicast.GroupAddress}, {e.Multicast.Duplex.ToString().ToLowerInvariant()}-duplex, {e.Multicast.MaxMbps} Mbit/s, wait for {e.Multicast.WaitForComputers}, max wait {e.Multicast.MaxWaitSeconds} s"),
            P2PDefaultsChanged e => ($"classroom {e.Classroom}", "p2p defaults changed",
                $"mode {e.P2P.Mode.ToString().ToLowerInvariant()}, seed {e.P2P.SeedSeconds} s"),
            PartitionImageRecorded e => ($"classroom {e.Classroom}", "partition deployed",
                $"{e.Computer} partition {e.Partition} now holds {e.Image} r{e.Revision} (session {e.SessionId})"),
            ImageDefined e => ($"image {e.Canonical}", "defined",
                $"\"{e.DisplayName}\", profile {e.SoftwareProfile}, partition {e.Partition} {e.PartitionType}, repo {e.Repository}"),
            ImageDeleted e => ($"image {e.Canonical}", "deleted", ""),
            ImageFileLinked e => ($"image {e.Canonical}", "file linked",
                $"{e.Repository}: {e.Info.OgLine}, {Size(e.Size)}, revision {e.Revision}" + (e.UploadedBy.Length > 0 ? $", uploaded by {e.UploadedBy}" : "")),
            ImageFileUnlinked e => ($"image {e.Canonical}", "file unlinked", $"{e.Repository} no longer holds it"),
            SessionCreated e => ($"session {e.SessionId}", "created",
                $"{e.Plan.Kind} {(e.Plan.Image.Length > 0 ? e.Plan.Image + " " : "")}by {e.Plan.Method.ToString().ToLowerInvariant()} on {e.Plan.Targets.Count} computer(s)"),
            ComputerJobStarted e => ($"session {e.SessionId}", "job started", $"{e.Computer}: {e.Path} ({e.Reason})"),
            ComputerJobFinished e => ($"session {e.SessionId}", $"job {e.Outcome.ToString().ToLowerInvariant()}",
                $"{e.Computer}: {(e.Error.Length > 0 ? e.Error : $"{e.Path}, {Size(e.Bytes)} in {e.Duration.TotalSeconds:0.#} s")}"
                + (e.ResumedFrom > 0 ? $", resumed at {Size(e.ResumedFrom)}{(e.Attempt > 1 ? $" (attempt {e.Attempt})" : "")}" : "")),
            SessionFinished e => ($"session {e.SessionId}", "finished",
                $"{e.Outcome}: {e.Succeeded} succeeded, {e.Failed} failed, {e.Skipped} skipped"),
            OperationRecorded e => Operation(e),
            OgActors.Messages.Computers.ComputerRegistrationRefused e => ($"computer {e.Name}", "registration refused", $"from {e.From}: {e.Reason}"),
            _ => (evt.GetType().Name, "changed", ""),
        };
        return new AuditEntry(offset, evt.At, evt.By, subject, action, details, AuditTags.Of(evt));
    }

    /// <summary>An operator's operation: its subject (the member, the repository), what became of it, and the outcome's sentence.</summary>
    private static (string Subject, string Action, string Details) Operation(OperationRecorded e)
    {
        var subject = e.Kind is OperationKind.ClusterLeave or OperationKind.ClusterDown
            ? $"cluster member {e.Target}"
            : e.Kind is OperationKind.ApiRequest ? $"operator {e.By}"
            : e.Repository.Length > 0 ? $"repository {e.Repository}" : "repositories";
        var action = (e.Kind, e.Outcome) switch
        {
            (OperationKind.ClusterLeave, OperationOutcome.Done) => "asked to leave",
            (OperationKind.ClusterDown, OperationOutcome.Done) => "downed",
            (OperationKind.ImageImport, OperationOutcome.Done) => "imported",
            (OperationKind.ImageFileDeletion, OperationOutcome.Done) => "image file deleted",
            (var kind, var outcome) => $"{Verb(kind)} {outcome.ToString().ToLowerInvariant()}",
        };
        var details = e.Sentence.Length == 0 ? e.Details : $"{e.Details}: {e.Sentence}";
        return (subject, action, details);
    }

    private static string Verb(OperationKind kind) => kind switch
    {
        OperationKind.ClusterLeave => "leave",
        OperationKind.ClusterDown => "down",
        OperationKind.ImageImport => "import",
        OperationKind.ApiRequest => "api request",
        _ => "image file deletion",
    };

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.#} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes} B",
    };
}
