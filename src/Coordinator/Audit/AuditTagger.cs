using System.Collections.Immutable;
using Akka.Persistence.Journal;
using OgActors.Messages.Audit;

namespace OgActors.Coordinator.Audit;

/// <summary>Write event adapter: stores every <see cref="IAuditedEvent"/> with its <see cref="AuditTags"/>.</summary>
public sealed class AuditTagger : IWriteEventAdapter
{
    public string Manifest(object evt) => string.Empty;

    public object ToJournal(object evt) =>
        evt is IAuditedEvent audited ? new Tagged(evt, AuditTags.Of(audited).ToImmutableHashSet()) : evt;
}
