using OgActors.Messages.Classrooms;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Sessions;

/// <summary>
/// An operator's command as the API receives it (JSON body). Which fields matter depends on the kind:
/// create-image (Computers[0], Partition, Image, Repository); restore (scope, Partition, Image, Method);
/// deploy (scope, Mode → UpdateCache|DeployImage, Image, Partition?, Method); clone-remote (scope, Master,
/// Source "PART:N|IMG-CACHE:NAME|IMG-REPO:NAME", Partition, Method). Overrides replace classroom defaults.
/// </summary>
public sealed record SessionRequest(
    SessionKind Kind,
    IReadOnlyList<string>? Classrooms = null,
    IReadOnlyList<string>? Computers = null,
    string? Image = null,
    int? Partition = null,
    string? Repository = null,
    TransferMethod? Method = null,
    string? Master = null,
    string? Source = null,
    int? Port = null,
    string? GroupAddress = null,
    DuplexMode? Duplex = null,
    int? MaxMbps = null,
    int? WaitForComputers = null,
    int? MaxWaitSeconds = null,
    P2PMode? P2PMode = null,
    int? SeedSeconds = null,
    int? OfflineTimeoutSeconds = null);
