using System.Diagnostics;
using System.Net.Sockets;
using Akka.Actor;
using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Jobs;
using OgActors.ClientNode.Transfers;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Progress;
using OgActors.Messages.Clone;
using OgActors.Messages.Multicast;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Master;

/// <summary>
/// A receiver's job in a remote cloning session: it asks the session for the master's offer, checks its partition against
/// what the master announces (exists, not the master's, large enough for the tool/compressor/size announced — a smaller one
/// declines at once, OpenGnsys's error 30, and the others do not wait for it), then restores the master's stream straight
/// into the partition (receiver → decompressor → clone tool), checking the stream identity header first and the content
/// after: the image's full sum (IMG-*), or the master's MD5 of its live capture (PART). It watches the master: a master
/// that goes away mid-stream fails the job at once with that reason (and the session fails it too when it hears first).
/// <code>
/// asking (CloneJoinRequest every second) ──CloneOffer──▶ checks ──▶ multicast: JoinMulticast ──MulticastAdmitted──▶ udp-receiver ─┐
///      └─CloneAborted──▶ failed            └─ too small: declines, fails     unicast: TCP connect to the master ───────────────┤
///                                                      restore ◀─────────────────────────────────────────────────────────────┘
///                                                      ──▶ (PART) CloneStreamHashQuery ──CloneStreamHash──▶ finished
/// </code>
/// </summary>
public sealed class CloneReceiverActor : ReceiveActor, IWithTimers
{
    private sealed record Ask : INoSerializationVerificationNeeded;
    private sealed record JoinAgain : INoSerializationVerificationNeeded;
    private sealed record Progressed(TransferProgress Progress) : INoSerializationVerificationNeeded;
    private sealed record Restored(CloneReceived Received) : INoSerializationVerificationNeeded;
    private sealed record RestoreFailed(Exception Cause) : INoSerializationVerificationNeeded;
    private sealed record HashTimeout : INoSerializationVerificationNeeded;

    private readonly RunJob _job;
    private readonly JobRunnerSettings _settings;
    private readonly CancellationTokenSource _cancel = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string _device = "";
    private CloneOffer? _offer;
    private IActorRef? _engine; // the master's multicast session actor, once it admitted this computer
    private UdpcastProcess? _receiver;
    private CloneReceived? _received;
    private volatile bool _writing;
    private bool _finished;
    private string _path = "", _reason = "";

    public CloneReceiverActor(RunJob job, JobRunnerSettings settings)
    {
        _job = job;
        _settings = settings;
        Receive<Ask>(_ => _job.ReplyTo.Tell(new CloneJoinRequest(_job.SessionId, _job.Computer, Self)));
        Receive<CloneAborted>(a => Fail(a.Reason));
        Receive<CloneOffer>(Offered);
        Receive<JoinAgain>(_ => SendJoin(""));
        Receive<MulticastAdmitted>(Admitted);
        Receive<MulticastMissed>(m => Fail($"The master {Spec.Master}'s multicast did not bring the stream: {m.Reason.TrimEnd('.')}."));
        Receive<Progressed>(p => Context.Parent.Tell(new JobProgress(_job.SessionId, _job.Computer, p.Progress.Bytes,
            p.Progress.TotalBytes ?? 0, p.Progress.BytesPerSecond, p.Progress.Eta)));
        Receive<Restored>(r => Received(r.Received));
        Receive<RestoreFailed>(f => Fail(JobFailure.Sentence(f.Cause)));
        Receive<CloneStreamHash>(Compare);
        Receive<HashTimeout>(_ => Fail($"The master {Spec.Master} did not say its stream's MD5 in time; the restore cannot be proven."));
        Receive<Terminated>(t =>
        {
            if (_finished || _offer is null) return;
            if (t.ActorRef.Equals(_offer.Master) || (_engine is not null && t.ActorRef.Equals(_engine) && _received is null))
                Fail($"The master {Spec.Master} went away during the stream (its job or its computer stopped).");
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RunJob job, JobRunnerSettings settings) => Akka.Actor.Props.Create(() => new CloneReceiverActor(job, settings));

    private JobSpec Spec => _job.Spec;

    protected override void PreStart()
    {
        _path = $"clone from {Spec.Master} by {Spec.Method.ToString().ToLowerInvariant()}";
        if (!_settings.Partitions.TryGetValue(Spec.Partition, out var device))
        {
            _reason = $"Computer {_job.Computer} has no partition {Spec.Partition}.";
            Fail(_reason, decline: false);
            return;
        }
        _device = device;
        Start(_path, $"Restores the master {Spec.Master}'s stream straight into partition {Spec.Partition} by {Spec.Method.ToString().ToLowerInvariant()}, once the master offers it.");
        Self.Tell(new Ask());
        Timers.StartPeriodicTimer("ask", new Ask(), TimeSpan.FromSeconds(1));
    }

    protected override void PostStop()
    {
        _cancel.Cancel();
        _receiver?.Dispose();
        if (!_finished) Tell(false, $"{_job.Computer}'s job ended.");
    }

    // ---- the offer and the checks before joining -----------------------------------------------------------------------

    private void Offered(CloneOffer offer)
    {
        if (_offer is not null || _finished) return;
        _offer = offer;
        Timers.Cancel("ask");
        if (CheckBeforeJoining(offer) is { } refusal) { Fail(refusal); return; }
        Context.Watch(offer.Master);
        if (offer.Multicast is not null) Context.Watch(offer.Multicast);
        Start(_path, $"Restoring {offer.Description} from the master {offer.Computer} straight into partition {Spec.Partition}.");
        if (offer.Method == TransferMethod.Multicast)
        {
            SendJoin("");
            Timers.StartPeriodicTimer("join", new JoinAgain(), TimeSpan.FromSeconds(2));
        }
        else ReceiveByTcp(offer);
    }

    /// <summary>The partition exists (checked at start), is not the master's, and fits what the master announces; a sentence when not.</summary>
    private string? CheckBeforeJoining(CloneOffer offer)
    {
        if (offer.Computer.Equals(_job.Computer, StringComparison.OrdinalIgnoreCase))
            return $"Computer {_job.Computer} is the master of this session; it does not restore onto itself.";
        var size = Partition.SizeOf(_device);
        if (size < offer.RequiredBytes)
            return $"Partition {Spec.Partition} of {_job.Computer} ({CachePolicy.Size(size)}) is smaller than the {CachePolicy.Size(offer.RequiredBytes)} " +
                   $"the master {offer.Computer} announces ({offer.Tool}:{offer.Compressor}:{offer.Filesystem}:{offer.RequiredBytes / 1024}); it did not join and nothing was written.";
        var restoreTool = offer.Tool == "PARTCLONE" ? "partclone.restore" : offer.Tool.ToLowerInvariant();
        if (offer.Tool is "PARTCLONE" or "NTFSCLONE" or "PARTIMAGE" && !Imaging.Processes.ToolLocator.IsInstalled(restoreTool))
            return $"Computer {_job.Computer} has no {restoreTool} to restore the master's {offer.Tool.ToLowerInvariant()} stream; nothing was written.";
        return null;
    }

    private MulticastStreamHeader Expected => new(_job.SessionId, _offer!.Image, _offer.Revision, _offer.StreamSum, _offer.StreamSize);

    // ---- multicast: the master's MulticastSessionActor ------------------------------------------------------------------

    private void SendJoin(string declined)
    {
        var o = _offer;
        if (o?.Multicast is null || (declined.Length == 0 && _engine is not null)) return;
        o.Multicast.Tell(new JoinMulticast(_job.SessionId, _job.Computer, Spec.Classroom, o.Image, "", o.Revision, o.StreamSum, o.StreamSize,
            Spec.Multicast, Spec.ClassroomComputers, Self, _job.ReplyTo, declined));
    }

    private void Admitted(MulticastAdmitted admitted)
    {
        if (admitted.SessionId != _job.SessionId || _engine is not null || _finished) return;
        _engine = Sender;
        Timers.Cancel("join");
        var request = new MulticastReceiveRequest(admitted.Group, admitted.Port, admitted.StartTimeoutSeconds, Expected);
        try { _receiver = UdpcastProcess.Start("udp-receiver", request.Arguments(), input: false, output: true); }
        catch (Exception e) { Fail($"udp-receiver could not be started: {e.Message.TrimEnd('.')}."); return; }
        Sender.Tell(new MulticastReceiverReady(_job.SessionId, _job.Computer));
        var receiver = _receiver;
        var note = $"Received by multicast from {Spec.Master} on {admitted.Group}:{admitted.Port}";
        Restore(async (expected, progress, token) =>
        {
            await using var kill = token.Register(receiver.Kill);
            try { return await CloneStreamReader.RestoreAsync(receiver.Output, Spec.Master, expected, _device, () => _writing = true, progress, token); }
            catch (InvalidDataException) when (receiver.HasExited)
            {
                throw new CloneStreamException($"No stream arrived from the master on {admitted.Group}:{admitted.Port}: {receiver.ExitSentence(await receiver.WaitAsync(CancellationToken.None))}", false);
            }
        }, note);
    }

    // ---- unicast: one TCP connection to the master's fan-out -----------------------------------------------------------

    private void ReceiveByTcp(CloneOffer offer)
    {
        var computer = _job.Computer;
        Restore(async (expected, progress, token) =>
        {
            using var client = new TcpClient { NoDelay = true };
            try { await client.ConnectAsync(offer.Host, offer.Port, token); }
            catch (SocketException e) { throw new CloneStreamException($"Could not connect to the master {offer.Computer} at {offer.Host}:{offer.Port}: {e.Message.TrimEnd('.')}; nothing was written.", false); }
            var stream = client.GetStream();
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(computer + "\n"), token);
            return await CloneStreamReader.RestoreAsync(stream, offer.Computer, expected, _device, () => _writing = true, progress, token);
        }, $"Received by unicast (TCP) from {offer.Computer} at {offer.Host}:{offer.Port}");
    }

    private string _note = "";

    private void Restore(Func<MulticastStreamHeader, IProgress<TransferProgress>, CancellationToken, Task<CloneReceived>> work, string note)
    {
        _note = note;
        var self = Self;
        var progress = new CallbackProgress(p => self.Tell(new Progressed(p)));
        var (expected, token) = (Expected, _cancel.Token);
        Task.Run(() => work(expected, progress, token), token).PipeTo(Self, success: r => new Restored(r), failure: e => new RestoreFailed(e));
    }

    // ---- the content check ------------------------------------------------------------------------------------------

    private void Received(CloneReceived received)
    {
        _received = received;
        if (_offer!.StreamSize > 0) { Succeed($"{_note}; full sum verified."); return; } // the image's full sum, checked by the reader
        // A live capture: the master's MD5 of what it sent must be ours.
        _offer.Master.Tell(new CloneStreamHashQuery(_job.SessionId, _job.Computer));
        Timers.StartSingleTimer("hash", new HashTimeout(), TimeSpan.FromSeconds(60));
    }

    private void Compare(CloneStreamHash hash)
    {
        if (_received is null || _finished) return;
        Timers.Cancel("hash");
        if (hash.Md5.Length == 0) { Fail($"The master {hash.Computer}'s capture failed; the stream received is not a whole partition."); return; }
        if (!string.Equals(hash.Md5, _received.Md5, StringComparison.OrdinalIgnoreCase) || hash.Bytes != _received.Bytes)
        {
            Fail($"The stream received ({_received.Bytes} bytes, MD5 {_received.Md5}) is not what the master {hash.Computer} sent ({hash.Bytes} bytes, MD5 {hash.Md5}).");
            return;
        }
        Succeed($"{_note}; stream MD5 {hash.Md5} agreed with the master ({CachePolicy.Size(hash.Bytes)}).");
    }

    // ---- endings ----------------------------------------------------------------------------------------------------

    private void Succeed(string note)
    {
        _reason = $"{_reason} {note}";
        Tell(true, note);
        var sum = _offer!.StreamSize > 0 ? _offer.StreamSum : _received!.Md5;
        Finish(JobOutcome.Succeeded, _received!.Bytes, "", new RestoredContent(sum.ToLowerInvariant(), 0, PartitionWritten: true));
    }

    /// <summary>Fails the job; before joining, a multicast receiver declines (the master's transfer does not wait for it).</summary>
    private void Fail(string reason, bool decline = true)
    {
        if (_finished) return;
        if (decline && _engine is null && _offer?.Multicast is not null) SendJoin(reason);
        Tell(false, reason);
        Finish(JobOutcome.Failed, _received?.Bytes ?? 0, reason, new RestoredContent("", 0, _writing));
    }

    /// <summary>Tells the master (and its multicast engine) that this receiver's part is over.</summary>
    private void Tell(bool succeeded, string note)
    {
        if (_offer is null) return;
        _offer.Master.Tell(new CloneReceiverDone(_job.SessionId, _job.Computer, succeeded, _received?.Bytes ?? 0, note));
        _engine?.Tell(new MulticastMemberDone(_job.SessionId, _job.Computer, succeeded, note));
    }

    private void Start(string path, string reason)
    {
        _path = path;
        _reason = reason;
        Context.Parent.Tell(new JobStarted(_job.SessionId, _job.Computer, path, reason));
    }

    private void Finish(JobOutcome outcome, long bytes, string error, RestoredContent? restored)
    {
        if (_finished) return;
        _finished = true;
        Timers.CancelAll();
        _receiver?.Dispose();
        Context.Parent.Tell(new JobFinished(_job.SessionId, _job.Computer, outcome, _path, outcome == JobOutcome.Failed && _reason.Length == 0 ? error : _reason,
            bytes, _clock.Elapsed, outcome == JobOutcome.Failed ? error : "", restored));
        Context.Stop(Self);
    }
}
