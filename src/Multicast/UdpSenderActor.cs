using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using OgActors.Imaging.Pipelines;
using OgActors.Messages.Classrooms;

namespace OgActors.Multicast;

/// <summary>What udp-sender is started with: where it sends, to how many receivers, how fast, and the stream it sends.</summary>
/// <param name="Interface">The network interface (udpcast <c>--interface</c>); "" = udpcast's own choice.</param>
/// <param name="Receivers">udpcast <c>--min-receivers</c>: the receivers that said they are ready.</param>
/// <param name="RetriesUntilDrop">udpcast <c>--retries-until-drop</c>: how fast a receiver that stopped answering is dropped.</param>
public sealed record UdpSenderCommand(
    string ImagePath, MulticastStreamHeader Header, string Interface, int Port, string Group, DuplexMode Duplex, int MaxMbps,
    int Receivers, int MaxWaitSeconds, int RetriesUntilDrop, IReadOnlyList<string>? Wrapper = null)
{
    public IReadOnlyList<string> Arguments()
    {
        var args = new List<string> { "--nokbd", "--portbase", Port.ToString(), "--mcast-rdv-address", Group, "--mcast-data-address", Group,
            "--ttl", "1", "--min-receivers", Receivers.ToString(), "--max-wait", MaxWaitSeconds.ToString(),
            "--retries-until-drop", RetriesUntilDrop.ToString(), Duplex == DuplexMode.Full ? "--full-duplex" : "--half-duplex",
            // udp-sender checks --min-receivers only when its wait times out, every 2 s by default: re-sending its hello
            // every 100 ms starts the transfer within 0.1 s of the last receiver's connect instead of up to 2 s later.
            "--rexmit-hello-interval", "100" };
        if (Interface.Length > 0) args.AddRange(["--interface", Interface]);
        if (MaxMbps > 0) args.AddRange(["--max-bitrate", $"{MaxMbps}m"]);
        return args;
    }
}

/// <summary>
/// Supervises one real <c>udp-sender</c>, a child of the <see cref="MulticastSessionActor"/>: starts it, feeds its stdin with
/// the stream identity header then the image file, tells its parent <see cref="Progressed"/> about twice a second and
/// <see cref="Exited"/> once (the exit status as a sentence). Stopping it kills the process: never an orphan sender.
/// </summary>
public sealed class UdpSenderActor : ReceiveActor
{
    public sealed record Progressed(long Bytes, double BytesPerSecond) : INoSerializationVerificationNeeded;
    public sealed record Exited(bool Succeeded, string Sentence) : INoSerializationVerificationNeeded;
    private sealed record Tick : INoSerializationVerificationNeeded;

    private readonly UdpSenderCommand _command;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = new();
    private UdpcastProcess? _process;
    private long _fed;
    private ICancelable? _ticks;

    public UdpSenderActor(UdpSenderCommand command)
    {
        _command = command;
        Receive<Tick>(_ => Context.Parent.Tell(Rate()));
        Receive<Exited>(e =>
        {
            Context.Parent.Tell(Rate());
            Context.Parent.Tell(e);
            Context.Stop(Self);
        });
    }

    public static Props Props(UdpSenderCommand command) => Akka.Actor.Props.Create(() => new UdpSenderActor(command));

    private Progressed Rate() => new(Volatile.Read(ref _fed), _clock.Elapsed.TotalSeconds > 0 ? Volatile.Read(ref _fed) / _clock.Elapsed.TotalSeconds : 0);

    protected override void PreStart()
    {
        try
        {
            _process = UdpcastProcess.Start("udp-sender", _command.Arguments(), input: true, output: false, _command.Wrapper);
        }
        catch (Exception e)
        {
            Self.Tell(new Exited(false, $"udp-sender could not be started: {e.Message.TrimEnd('.')}."));
            return;
        }
        _log.Info("udp-sender {0} started for {1} on {2}:{3} ({4} receivers)", _process.Id, _command.Header.Image, _command.Group, _command.Port, _command.Receivers);
        _ticks = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500), Self, new Tick(), Self);
        var process = _process;
        var token = _stop.Token;
        Task.Run(async () =>
        {
            string? feedError = null;
            try
            {
                await using var input = process.Input;
                await input.WriteAsync(_command.Header.ToBytes(), token);
                await using var file = new FileStream(_command.ImagePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                var buffer = new byte[1 << 20];
                int n;
                while ((n = await file.ReadAsync(buffer, token)) > 0)
                {
                    if (!_clock.IsRunning) _clock.Start(); // the sender reads its stdin only once it has started sending
                    await input.WriteAsync(buffer.AsMemory(0, n), token);
                    Interlocked.Add(ref _fed, n);
                }
            }
            catch (OperationCanceledException) { feedError = "stopped"; }
            catch (IOException e) { feedError = e.Message; } // the sender exited (broken pipe): its exit code tells why
            var code = await process.WaitAsync(CancellationToken.None);
            var sentence = process.ExitSentence(code);
            if (code == 0 && feedError is not null && feedError != "stopped") sentence = $"udp-sender stopped reading the image ({feedError.TrimEnd('.')}).";
            // udp-sender's last statistics line ("bytes= 30 168 362  re-xmits=0000035 (  0.1%) …"): what the stream cost.
            var stats = process.LastLines().LastOrDefault(l => l.StartsWith("bytes=", StringComparison.Ordinal));
            if (stats is not null && code == 0) sentence = $"{sentence.TrimEnd('.')} ({string.Join(' ', stats.Split(' ', StringSplitOptions.RemoveEmptyEntries))}).";
            return new Exited(code == 0 && feedError is null, sentence);
        }).PipeTo(Self);
    }

    protected override void PostStop()
    {
        _ticks?.Cancel();
        _stop.Cancel();
        _process?.Dispose(); // kills it when it still runs
    }
}
