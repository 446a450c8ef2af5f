using Akka.Actor;
using Akka.Hosting;
using OgActors.Messages.Audit;
using OgActors.Messages.Common;

namespace OgActors.Coordinator.Operations;

/// <summary>
/// How the API records an operator's operation in the ledger: <see cref="StartAsync"/> before a long operation (when it
/// cannot be recorded, the operation is not done), <see cref="EndAsync"/> with its outcome. With no ledger composed into
/// the coordinator (a host without <see cref="OperationLedgerModule"/>) nothing is recorded.
/// </summary>
public sealed class OperationRecorder(IActorRef? ledger)
{
    public static readonly TimeSpan RecordTimeout = TimeSpan.FromSeconds(10);

    public static OperationRecorder From(ActorRegistry registry) =>
        new(registry.TryGet<OperationLedger>(out var ledger) ? ledger : null);

    public static string NewId() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>Records one step; null once it is in the journal, else the sentence why it is not.</summary>
    public async Task<string?> RecordAsync(RecordOperation step, TimeSpan? timeout = null)
    {
        if (ledger is null) return null;
        try
        {
            return await ledger.Ask<object>(step, timeout ?? RecordTimeout) switch
            {
                Accepted => null,
                Refused r => r.Reason,
                var other => $"the ledger answered {other.GetType().Name}",
            };
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return "the operations ledger did not answer in time";
        }
    }

    /// <summary>Records that a long operation starts; null when recorded, else one sentence for the operator (nothing was done).</summary>
    public async Task<string?> StartAsync(RecordOperation step) =>
        await RecordAsync(step with { Outcome = OperationOutcome.Started, Sentence = "" }) is { } why
            ? $"Nothing was done: the audit could not record the {OperationLedgerState.Describe(step.Kind)} ({why})."
            : null;

    /// <summary>Records how an operation ended; null when recorded, else why not (a started operation then stays under way in the ledger).</summary>
    public Task<string?> EndAsync(RecordOperation step, TimeSpan? timeout = null) => RecordAsync(step, timeout);

    /// <summary>
    /// Records <paramref name="step"/> again and again until it is in the journal or <paramref name="within"/> passed; for an
    /// operation that had to be done before it could be recorded (downing the unreachable coordinator that hosts the ledger
    /// singleton: the singleton then moves, and the step lands). A step found already recorded counts as recorded.
    /// </summary>
    public async Task<bool> RecordEventuallyAsync(RecordOperation step, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var why = await RecordAsync(step);
            if (why is null || why.EndsWith("has already ended.", StringComparison.Ordinal)) return true;
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }
}
