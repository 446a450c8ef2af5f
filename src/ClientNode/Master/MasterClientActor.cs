using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Jobs;
using OgActors.ClientNode.Transfers;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Progress;
using OgActors.Messages.Clone;
using OgActors.Messages.Multicast;
using OgActors.Messages.Sessions;
using OgActors.Multicast;

namespace OgActors.ClientNode.Master;

/// <summary>
/// The master computer's job in a remote cloning session (clone-remote), a child of the job runner like any job: it gets
/// its source ready (<see cref="MasterSource"/>: PART checked, IMG-CACHE verified, IMG-REPO fetched by unicast into its
/// cache), offers it to the session (which tells the receivers), serves it, and ends once every receiver finished or was
/// dropped. It tells its parent the job protocol's records (JobStarted, JobProgress, one JobFinished).
/// <code>
/// preparing ──SourceReady──▶ serving: offer every 2 s ──▶ … every receiver done / dropped ──▶ finished
///                                 multicast: a MulticastSessionActor child (wait for N or the max wait, udp-sender)
///                                 unicast:   TCP fan-out, one connection per receiver (FanOutStream)
/// PART: partclone.FS | COMPRESSOR writes as it captures into a FIFO (multicast) or the fan-out (unicast): no copy on disk.
/// </code>
/// Stopping it (cancel, node stopping) kills the tools, the sender and the listener.
/// </summary>
public sealed class MasterClientActor : ReceiveActor, IWithTimers
{
    private sealed record SourceReady(MasterSource Source) : INoSerializationVerificationNeeded;
    private sealed record SourceFailed(Exception Cause) : INoSerializationVerificationNeeded;
    private sealed record Progressed(TransferProgress Progress) : INoSerializationVerificationNeeded;
    private sealed record StreamEnded(string? Md5, long Bytes, string? Error) : INoSerializationVerificationNeeded;
    private sealed record Connected(string Computer) : INoSerializationVerificationNeeded;
    private sealed record OfferTick : INoSerializationVerificationNeeded;
    private sealed record SettleTimeout : INoSerializationVerificationNeeded;
    private sealed record ServeTick : INoSerializationVerificationNeeded;
    private sealed record FanOutStarted(FanOutStream FanOut) : INoSerializationVerificationNeeded;

    private readonly RunJob _job;
    private readonly JobRunnerSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _cancel = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, CloneReceiverDone> _done = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IActorRef> _hashWaiters = [];
    private readonly HashSet<string> _connected = new(StringComparer.OrdinalIgnoreCase);
    private MasterSource? _source;
    private IActorRef? _multicast;
    private MulticastStatus? _status;
    private TcpListener? _listener;
    private FanOutStream? _fanOut;
    private string? _fifo;
    private volatile bool _fifoOpened;
    private bool _engineDone;
    private string? _md5;
    private long _sent;
    private string? _streamError;
    private bool _streamEnded;
    private string _path = "", _reason = "";

    public MasterClientActor(RunJob job, JobRunnerSettings settings)
    {
        _job = job;
        _settings = settings;
        Receive<SourceReady>(r => Serve(r.Source));
        Receive<SourceFailed>(f => Finish(JobOutcome.Failed, 0, JobFailure.Sentence(f.Cause)));
        Receive<Progressed>(p => Context.Parent.Tell(new JobProgress(_job.SessionId, _job.Computer, p.Progress.Bytes,
            p.Progress.TotalBytes ?? 0, p.Progress.BytesPerSecond, p.Progress.Eta)));
        Receive<OfferTick>(_ => Offer());
        Receive<MulticastStatus>(s =>
        {
            _status = s;
            _job.ReplyTo.Tell(s); // the session's multicast section: the master's sending rate, members, dropped ones
            if (s.SenderBytes > 0)
                Context.Parent.Tell(new JobProgress(_job.SessionId, _job.Computer, s.SenderBytes, _source?.StreamSize ?? 0, s.SenderBytesPerSecond, null));
        });
        Receive<ServeTick>(_ =>
        {
            if (_fanOut is null) return;
            var seconds = Math.Max(0.001, _clock.Elapsed.TotalSeconds - _servingSince);
            Context.Parent.Tell(new JobProgress(_job.SessionId, _job.Computer, _fanOut.Count, _source?.StreamSize ?? 0, _fanOut.Count / seconds, null));
        });
        Receive<Connected>(c => _connected.Add(c.Computer));
        Receive<StreamEnded>(Ended);
        Receive<CloneStreamHashQuery>(q =>
        {
            if (_md5 is not null) Sender.Tell(new CloneStreamHash(_job.SessionId, _job.Computer, _md5, _sent));
            else if (_streamEnded) Sender.Tell(new CloneStreamHash(_job.SessionId, _job.Computer, "", 0)); // the stream failed: no sum to agree on
            else _hashWaiters.Add(Sender);
        });
        Receive<CloneReceiverDone>(d =>
        {
            _done[d.Computer] = d;
            if (Spec.Method == TransferMethod.Unicast ? _streamEnded && AllAccountedFor() : _engineDone && MembersAccountedFor()) Conclude();
        });
        Receive<SettleTimeout>(_ => Conclude());
        Receive<Terminated>(t =>
        {
            if (!t.ActorRef.Equals(_multicast)) return;
            _engineDone = true;
            // The engine stops once its members are done; their own reports to the master may still be on their way.
            if (MembersAccountedFor()) Conclude();
            else Timers.StartSingleTimer("settle", new SettleTimeout(), TimeSpan.FromSeconds(5));
        });
        Receive<FanOutStarted>(f =>
        {
            _fanOut = f.FanOut;
            if (Spec.Method == TransferMethod.Unicast) Timers.StartPeriodicTimer("serve", new ServeTick(), TimeSpan.FromMilliseconds(500));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RunJob job, JobRunnerSettings settings) => Akka.Actor.Props.Create(() => new MasterClientActor(job, settings));

    private JobSpec Spec => _job.Spec;
    private int Receivers => Math.Max(1, Spec.ClassroomComputers);
    private string SourceText => Spec.Source switch
    {
        { Kind: CloneSourceKind.Partition } s => $"PART:{s.Partition}",
        { Kind: CloneSourceKind.CacheImage } s => $"IMG-CACHE:{s.Image}",
        { } s => $"IMG-REPO:{s.Image}",
        _ => "?",
    };
    private string Method => Spec.Method.ToString().ToLowerInvariant();
    private double _servingSince;

    protected override void PreStart()
    {
        Start($"master {SourceText} → {Method}", $"Master of the session: preparing {SourceText} for {Receivers} receivers by {Method}.");
        var self = Self;
        var progress = new CallbackProgress(p => self.Tell(new Progressed(p)));
        var (computer, spec, partitions, cache, compressor, token) = (_settings.Computer, Spec, _settings.Partitions, _settings.Cache, _settings.CloneCompressor, _cancel.Token);
        Func<RepositoryClient?> repository = () => _settings.RepositoryAddress(spec.Repository) is { } address
            ? new RepositoryClient(_settings.Http, spec.Repository, address) { Folder = spec.Folder } : null;
        var job = $"{_job.SessionId}/{_job.Computer}";
        Task.Run(() => MasterSource.PrepareAsync(computer, spec, partitions, cache, repository, compressor, job, progress, token), token)
            .PipeTo(Self, success: s => new SourceReady(s), failure: e => new SourceFailed(e));
    }

    protected override void PostStop()
    {
        _cancel.Cancel();
        _listener?.Stop();
        if (_fifo is not null)
        {
            if (!_fifoOpened) Fifo.ReleaseWriter(_fifo); // a capture still waiting for udp-sender to open the pipe goes on, and fails
            try { Directory.Delete(Path.GetDirectoryName(_fifo)!, true); } catch (IOException) { }
        }
    }

    // ---- serving ------------------------------------------------------------------------------------------------------

    private void Serve(MasterSource source)
    {
        _source = source;
        _servingSince = _clock.Elapsed.TotalSeconds;
        _reason = $"Master of the session: serves {source.Description} to {Receivers} receivers by {Method}.{(source.Note.Length > 0 ? " " + source.Note : "")}";
        Context.Parent.Tell(new JobStarted(_job.SessionId, _job.Computer, _path, _reason));
        try
        {
            if (Spec.Method == TransferMethod.Multicast) ServeMulticast(source);
            else ServeUnicast(source);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            Finish(JobOutcome.Failed, 0, $"The master {_job.Computer} could not start serving: {e.Message.TrimEnd('.')}.");
            return;
        }
        Offer();
        Timers.StartPeriodicTimer("offer", new OfferTick(), TimeSpan.FromSeconds(2));
    }

    private void Offer()
    {
        var s = _source!;
        _job.ReplyTo.Tell(new CloneOffer(_job.SessionId, _job.Computer, Spec.Source!.Kind, s.Name, s.Revision, s.Tool, s.Compressor, s.Filesystem,
            s.RequiredBytes, s.StreamSum, s.StreamSize, Spec.Method, Self, _multicast, "", ((IPEndPoint?)_listener?.LocalEndpoint)?.Port ?? 0, s.Description));
    }

    /// <summary>
    /// The same session engine as a repository's multicast (wait for N or the max wait, the classroom's group and port, the
    /// stream identity header, udp-sender supervision, straggler drop), reading the image in the master's cache, or the
    /// FIFO the live capture writes into. Its status reports come here (forwarded to the session).
    /// </summary>
    private void ServeMulticast(MasterSource source)
    {
        var directory = _settings.Cache?.Directory ?? "";
        if (source.Live)
        {
            directory = Directory.CreateTempSubdirectory("og-clone-").FullName;
            _fifo = Path.Combine(directory, source.Name + ImageCache.ImageExtension);
            Fifo.Create(_fifo);
            File.WriteAllText(_fifo + Imaging.Sidecars.SidecarWriter.FullSumExtension, source.StreamSum + "\n");
            var fifoPath = _fifo;
            Run(source, () => Task.Run(() =>
            {
                // Blocks until udp-sender's feeder opens the pipe, i.e. once the receivers are there: the capture starts then.
                var fifo = new FileStream(fifoPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
                _fifoOpened = true;
                return (IReadOnlyList<(string, Stream)>)[("udp-sender", fifo)];
            }));
        }
        var settings = new MulticastNodeSettings(_job.Computer, directory, "", RetriesUntilDrop: 10, SenderMaxWait: TimeSpan.FromSeconds(5),
            ReceiverStartTimeout: TimeSpan.FromSeconds(60), SettleTimeout: TimeSpan.FromSeconds(60));
        var first = new JoinMulticast(_job.SessionId, _job.Computer, Spec.Classroom, source.Name, "", source.Revision, source.StreamSum,
            source.StreamSize, Spec.Multicast, Receivers, Self, Self);
        _multicast = Context.ActorOf(MulticastSessionActor.Props(settings, first, Spec.Multicast.Port), "multicast");
        Context.Watch(_multicast);
        if (!source.Live) { _md5 = source.StreamSum; _streamEnded = true; }
    }

    /// <summary>
    /// TCP fan-out: one connection per receiver (each says its name first), accepted until every receiver is connected or the
    /// max wait passes; then one read of the source (the image file, or the live capture) written to every connection at once.
    /// </summary>
    private void ServeUnicast(MasterSource source)
    {
        _listener = new TcpListener(IPAddress.Any, 0);
        _listener.Start();
        var listener = _listener;
        var self = Self;
        var (expected, maxWait, token) = (Receivers, TimeSpan.FromSeconds(Math.Max(1, Spec.Multicast.MaxWaitSeconds)), _cancel.Token);
        var header = new MulticastStreamHeader(_job.SessionId, source.Name, source.Revision, source.StreamSum, source.StreamSize).ToBytes();
        Func<Task<IReadOnlyList<(string, Stream)>>> accept = async () =>
        {
            var outputs = new List<(string, Stream)>();
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(token);
            wait.CancelAfter(maxWait);
            while (outputs.Count < expected)
            {
                TcpClient client;
                try { client = await listener.AcceptTcpClientAsync(wait.Token); }
                catch (OperationCanceledException) when (!token.IsCancellationRequested) { break; } // the max wait passed
                client.NoDelay = true;
                var stream = client.GetStream();
                var name = await ReadNameAsync(stream, wait.Token);
                await stream.WriteAsync(header, token);
                outputs.Add((name, stream));
                self.Tell(new Connected(name));
            }
            listener.Stop();
            if (outputs.Count == 0) throw new IOException($"No receiver connected within the maximum wait of {maxWait.TotalSeconds:0} s");
            return outputs;
        };
        Run(source, accept);
    }

    /// <summary>Runs the stream once its outputs are open: the live capture into them, or the image file copied into them; tells <see cref="StreamEnded"/>.</summary>
    private void Run(MasterSource source, Func<Task<IReadOnlyList<(string, Stream)>>> open)
    {
        var self = Self;
        var token = _cancel.Token;
        var compressor = _settings.CloneCompressor;
        Task.Run(async () =>
        {
            var outputs = await open();
            var fan = new FanOutStream(outputs);
            self.Tell(new FanOutStarted(fan));
            try
            {
                if (source.Live)
                    await CapturePipeline.CaptureAsync(source.Device!, fan, new CaptureOptions { Compressor = compressor, Filesystem = source.Filesystem, CheckFilesystem = false },
                        null, token);
                else
                {
                    await using var file = new FileStream(source.FilePath!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
                    await file.CopyToAsync(fan, 1 << 20, token);
                }
                await fan.FlushAsync(token);
                var dropped = fan.Dropped;
                return new StreamEnded(fan.Md5Hex(), fan.Count, dropped.Count == 0 ? null : $"dropped {string.Join(", ", dropped.Select(d => $"{d.Key} ({d.Value.TrimEnd('.')})"))}");
            }
            finally
            {
                foreach (var (_, output) in outputs) await output.DisposeAsync(); // closing ends each receiver's stream
            }
        }, token).PipeTo(Self, failure: e => new StreamEnded(null, 0, JobFailure.Sentence(e)));
    }

    private static async Task<string> ReadNameAsync(Stream stream, CancellationToken token)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 256 && await stream.ReadAsync(one, token) == 1 && one[0] != '\n') bytes.Add(one[0]);
        return System.Text.Encoding.UTF8.GetString([.. bytes]);
    }

    private void Ended(StreamEnded ended)
    {
        _streamEnded = true;
        _sent = ended.Bytes;
        if (ended.Md5 is not null) _md5 = ended.Md5;
        if (ended.Error is not null && ended.Md5 is null) _streamError = ended.Error;
        else if (ended.Error is not null) _reason = $"{_reason} The fan-out {ended.Error}.";
        Timers.Cancel("serve");
        foreach (var waiter in _hashWaiters) waiter.Tell(new CloneStreamHash(_job.SessionId, _job.Computer, _md5 ?? "", _sent));
        _hashWaiters.Clear();
        if (_multicast is not null) return; // multicast: the session engine ends the job once its members are done
        if (_streamError is not null && _connected.Count == 0) { Conclude(); return; }
        if (AllAccountedFor()) Conclude();
        else Timers.StartSingleTimer("settle", new SettleTimeout(), TimeSpan.FromSeconds(60));
    }

    /// <summary>Multicast: every member of the engine's transfer reported its end to the master, or was dropped.</summary>
    private bool MembersAccountedFor() =>
        (_status?.Members ?? []).All(m => _done.ContainsKey(m) || (_status?.Dropped.Contains(m) ?? false));

    /// <summary>Unicast: every connected receiver reported its end (one the fan-out dropped is done too).</summary>
    private bool AllAccountedFor() => _connected.All(c => _done.ContainsKey(c) || (_fanOut?.Dropped.ContainsKey(c) ?? false));

    /// <summary>Every receiver finished or was dropped: the master's job ends, with each receiver's outcome in its reason.</summary>
    private void Conclude()
    {
        if (_finished) return;
        var ok = _done.Values.Where(d => d.Succeeded).Select(d => d.Computer).Order().ToList();
        var failed = _done.Values.Where(d => !d.Succeeded).Select(d => $"{d.Computer} ({d.Note.TrimEnd('.')})").Order().ToList();
        var dropped = (_status?.Dropped ?? []).Concat(_fanOut?.Dropped.Keys ?? []).Where(c => !_done.ContainsKey(c)).Distinct().Order().ToList();
        var bytes = Math.Max(_sent, _status?.SenderBytes ?? 0);
        var summary = $"Sent {CachePolicy.Size(bytes)} by {Method}; received by {(ok.Count == 0 ? "none" : string.Join(", ", ok))}" +
            (failed.Count > 0 ? $"; failed: {string.Join(", ", failed)}" : "") + (dropped.Count > 0 ? $"; dropped: {string.Join(", ", dropped)}" : "") +
            (_md5 is { Length: > 0 } && _source is { Live: true } ? $"; stream MD5 {_md5}" : "") + ".";
        _reason = $"{_reason} {summary}";
        if (_streamError is not null) Finish(JobOutcome.Failed, bytes, $"The master's stream failed: {_streamError.TrimEnd('.')}.");
        else if (ok.Count == 0) Finish(JobOutcome.Failed, bytes, $"No receiver took the master's stream. {summary}");
        else Finish(JobOutcome.Succeeded, bytes, "");
    }

    private bool _finished;

    private void Start(string path, string reason)
    {
        _path = path;
        _reason = reason;
        Context.Parent.Tell(new JobStarted(_job.SessionId, _job.Computer, path, reason));
    }

    private void Finish(JobOutcome outcome, long bytes, string error)
    {
        if (_finished) return;
        _finished = true;
        Context.Parent.Tell(new JobFinished(_job.SessionId, _job.Computer, outcome, _path, _reason, bytes, _clock.Elapsed,
            outcome == JobOutcome.Failed ? error : ""));
        Context.Stop(Self);
    }
}
