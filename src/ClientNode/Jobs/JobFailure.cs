using OgActors.Imaging.Progress;

namespace OgActors.ClientNode.Jobs;

/// <summary>What a job's actors (JobActor, MasterClientActor, CloneReceiverActor) say of an exception, and how they take progress.</summary>
internal static class JobFailure
{
    /// <summary>The one sentence a job reports for a failure: its cause's message, or "The job was cancelled.".</summary>
    public static string Sentence(Exception e) => Unwrap(e) switch
    {
        OperationCanceledException => "The job was cancelled.",
        var cause => cause.Message,
    };

    /// <summary>The single cause inside (nested) AggregateExceptions.</summary>
    public static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerException!) : e;
}

/// <summary>An IProgress that calls back on the reporting thread (the actor receives a message; no SynchronizationContext needed).</summary>
internal sealed class CallbackProgress(Action<TransferProgress> report) : IProgress<TransferProgress>
{
    public void Report(TransferProgress value) => report(value);
}
