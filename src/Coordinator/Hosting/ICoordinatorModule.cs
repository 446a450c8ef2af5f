using Akka.Persistence.Hosting;
using OgActors.Hosting.Modules;

namespace OgActors.Coordinator.Hosting;

/// <summary>A capability of the coordinator: a node module that may also adapt the event journal (e.g. tag events).</summary>
public interface ICoordinatorModule : INodeModule
{
    /// <summary>Adds write/read event adapters to the default journal, e.g. a tagger for the audit read side.</summary>
    void ConfigureJournal(AkkaPersistenceJournalBuilder journal) { }
}
