using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using OgActors.Coordinator.Domain;
using OgActors.Messages.Audit;

namespace OgActors.Bench.Journal;

/// <summary>
/// Writes a <see cref="CampusHistory"/> through the real journal plugin: <c>WriteMessages</c> to the journal actor (the
/// message a persistent actor's batch becomes), so the rows, the serializer (ours) and the tag rows (the plugin's write
/// event adapter, <c>AuditTagger</c>) are exactly what the coordinator writes. Each <c>AtomicWrite</c> is one stream's
/// events of one session; <see cref="SessionsPerWrite"/> sessions per <c>WriteMessages</c>, a few writes in flight.
/// </summary>
public static class HistoryWriter
{
    public const int SessionsPerWrite = 2;
    public const int InFlight = 8;

    public static async Task<long> WriteAsync(ActorSystem system, CampusHistory history, Action<long>? progress = null)
    {
        var journal = Persistence.Instance.Apply(system).JournalFor(null);
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new Writer(journal, Batches(history), done, progress)));
        return await done.Task;
    }

    /// <summary>The history as WriteMessages payloads: setup streams first, then sessions in batches.</summary>
    private static IEnumerable<List<AtomicWrite>> Batches(CampusHistory history)
    {
        var next = new Dictionary<string, long>();
        AtomicWrite Write(string pid, IEnumerable<IAuditedEvent> events)
        {
            var seq = next.GetValueOrDefault(pid);
            var list = events.Select(e => (IPersistentRepresentation)new Persistent(e, ++seq, pid, writerGuid: "campus-history")).ToImmutableList();
            next[pid] = seq;
            return new AtomicWrite(list);
        }

        yield return [.. history.Setup().Select(s => Write(s.PersistenceId, s.Events))];
        var batch = new List<AtomicWrite>();
        for (var i = 0; i < history.Sessions; i++)
        {
            var s = history.Session(i);
            batch.Add(Write(PersistenceIds.Session(s.Id), s.Events));
            if (s.Recorded.Count > 0) batch.Add(Write(PersistenceIds.Classroom(s.Classroom), s.Recorded));
            if ((i + 1) % SessionsPerWrite != 0) continue;
            yield return batch;
            batch = [];
        }
        if (batch.Count > 0) yield return batch;
    }

    private sealed class Writer : ReceiveActor
    {
        private readonly IEnumerator<List<AtomicWrite>> _batches;
        private int _inFlight;
        private long _written;
        private long _sent;
        private bool _exhausted;

        public Writer(IActorRef journal, IEnumerable<List<AtomicWrite>> batches, TaskCompletionSource<long> done, Action<long>? progress)
        {
            _batches = batches.GetEnumerator();
            // the journal acknowledges a whole WriteMessages before each of its events: done when every event sent is acknowledged
            Receive<WriteMessageSuccess>(_ =>
            {
                _written++;
                if (_exhausted && _inFlight == 0 && _written == _sent) { done.TrySetResult(_written); Context.Stop(Self); }
            });
            Receive<WriteMessageRejected>(r => Fail(done, r.Cause));
            Receive<WriteMessageFailure>(f => Fail(done, f.Cause));
            Receive<WriteMessagesFailed>(f => Fail(done, f.Cause));
            Receive<WriteMessagesSuccessful>(_ =>
            {
                _inFlight--;
                progress?.Invoke(_written);
                Send(journal);
                if (_exhausted && _inFlight == 0 && _written == _sent) { done.TrySetResult(_written); Context.Stop(Self); }
            });
            Receive<Start>(_ => { for (var i = 0; i < InFlight; i++) Send(journal); });
            Self.Tell(Start.Instance);
        }

        private void Send(IActorRef journal)
        {
            if (_exhausted || !_batches.MoveNext()) { _exhausted = true; return; }
            _inFlight++;
            _sent += _batches.Current.Sum(w => w.Size);
            journal.Tell(new WriteMessages(_batches.Current, Self, 1));
        }

        private void Fail(TaskCompletionSource<long> done, Exception cause)
        {
            Console.Error.WriteLine(cause);
            done.TrySetException(new InvalidOperationException($"The journal refused the history: {cause.Message}", cause));
            Context.Stop(Self);
        }

        private sealed class Start { public static readonly Start Instance = new(); }
    }
}
