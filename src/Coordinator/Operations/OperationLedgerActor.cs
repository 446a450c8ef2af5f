using Akka.Actor;
using Akka.Persistence;
using OgActors.Messages.Audit;
using OgActors.Messages.Common;

namespace OgActors.Coordinator.Operations;

/// <summary>
/// The operations ledger: what operators did to the cluster and to repositories' files (cluster leave/down, image
/// imports, image file deletions), event-sourced under one persistence id (<c>operations</c>) and run as a cluster
/// singleton on the coordinators, so there is one writer. Each step is an <see cref="OperationRecorded"/>, tagged by the
/// audit tagger like every audited event; the reply comes only once it is in the journal.
/// </summary>
public sealed class OperationLedgerActor : ReceivePersistentActor
{
    public const string Name = "operations";
    public const string PersistenceIdValue = "operations";

    private OperationLedgerState _state = OperationLedgerState.Empty;

    public OperationLedgerActor()
    {
        Recover<OperationRecorded>(e => _state = _state.Apply(e));
        Command<RecordOperation>(Record);
        Command<GetOperations>(q => Sender.Tell(_state.View(q.Latest)));
    }

    public override string PersistenceId => PersistenceIdValue;

    public static Props Props() => Akka.Actor.Props.Create(() => new OperationLedgerActor());

    private void Record(RecordOperation cmd)
    {
        var (evt, refusal) = _state.Decide(cmd, DateTimeOffset.UtcNow);
        if (evt is null) { Sender.Tell(new Refused(refusal!)); return; }
        var replyTo = Sender;
        Persist(evt, e =>
        {
            _state = _state.Apply(e);
            replyTo.Tell(new Accepted(e.OperationId));
        });
    }
}
