using OgActors.Coordinator.Api;
using OgActors.Coordinator.Computers;
using OgActors.Coordinator.Domain;
using OgActors.Coordinator.Operations;
using OgActors.Coordinator.Repositories;

namespace OgActors.Coordinator.Hosting;

/// <summary>
/// The coordinator's capabilities, in order. Adding one (classrooms, images, sessions, audit, repositories ...)
/// is one line here; the real binary and the all-in-one lab both compose this list.
/// </summary>
public static class CoordinatorModules
{
    public static IReadOnlyList<ICoordinatorModule> Default =>
    [
        new ClusterApiModule(),
        new OperationLedgerModule(),
        new ComputerRegistryModule(),
        new RepositoryRegistryModule(),
        new CoordinatorDomainModule(), // which jobs a computer runs is what its agent announces (JobDispatcher)
    ];
}
