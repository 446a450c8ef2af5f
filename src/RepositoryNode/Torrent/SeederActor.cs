using Akka.Actor;
using Akka.Event;
using OgActors.Imaging.Sidecars;
using OgActors.Imaging.Torrent;

namespace OgActors.RepositoryNode.Torrent;

/// <summary>
/// Supervises the repository's one real <c>aria2c --enable-rpc</c> and seeds, over its JSON-RPC, exactly the images
/// <see cref="Seed"/> names, each in place: <c>dir</c> = the image's folder and the torrent's name is the file's name, so aria2
/// reads NAME.img itself (no copy). <c>bt-seed-unverified</c>: incorporation hashed every piece of this very file (same
/// identity) and <see cref="ReadyTorrents"/> only lists files whose identity still matches, so aria2 need not read it all
/// again before it seeds. No seed-ratio limit, no seed-time limit. If aria2 dies it is started again and every image re-added.
/// </summary>
public sealed class SeederActor : ReceiveActor, IWithTimers
{
    public sealed record Seed(IReadOnlyList<SeedableImage> Images) : INoSerializationVerificationNeeded;
    /// <summary>Test and view hook: answers <see cref="SeederState"/>.</summary>
    public sealed record GetState : INoSerializationVerificationNeeded;
    /// <summary>What is seeded: info-hash → aria2's status and peers.</summary>
    public sealed record SeederState(int? ProcessId, int ListenPort, IReadOnlyDictionary<string, SeededImage> Images, string LastError) : INoSerializationVerificationNeeded;
    public sealed record SeededImage(SeedableImage Image, Aria2Status Status, IReadOnlyList<Aria2Peer> Peers);
    private sealed record Check : INoSerializationVerificationNeeded;

    private readonly TorrentNodeSettings _settings;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, (SeedableImage Image, string Gid, int Pieces)> _seeded = new();
    private IReadOnlyList<SeedableImage> _wanted = [];
    private Aria2Process? _aria2;
    private string _lastError = "";

    public SeederActor(TorrentNodeSettings settings)
    {
        _settings = settings;
        ReceiveAsync<Seed>(async seed => { _wanted = seed.Images; await ReconcileAsync(); });
        ReceiveAsync<Check>(async _ => await ReconcileAsync());
        ReceiveAsync<GetState>(async _ => Sender.Tell(await StateAsync()));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TorrentNodeSettings settings) => Akka.Actor.Props.Create(() => new SeederActor(settings));

    protected override void PreStart() => Timers.StartPeriodicTimer("check", new Check(), TimeSpan.FromSeconds(2));

    protected override void PostStop()
    {
        _aria2?.Dispose();
        _http.Dispose();
    }

    private async Task ReconcileAsync()
    {
        try
        {
            if (_aria2 is null || _aria2.HasExited)
            {
                if (_aria2 is not null) _log.Warning("aria2c {0} (the seeder) exited; it is started again.", _aria2.Id);
                _aria2?.Dispose();
                _aria2 = null;
                _seeded.Clear();
                if (_wanted.Count == 0) return; // nothing to seed: no process
                Directory.CreateDirectory(_settings.WorkDirectory);
                _aria2 = await Aria2Process.StartAsync(new Aria2Options(_settings.SeederPort, _settings.SeederUploadLimit, LogFile: Path.Combine(_settings.WorkDirectory, "seeder.log")), _http);
                _log.Info("aria2c {0} seeds for repository {1} on port {2}", _aria2.Id, _settings.Repository, _aria2.ListenPort);
            }
            var rpc = _aria2.Rpc;
            var wanted = _wanted.ToDictionary(i => i.InfoHash);
            foreach (var (hash, seeded) in _seeded.ToList())
                if (!wanted.TryGetValue(hash, out var now) || now != seeded.Image)
                {
                    await rpc.RemoveAsync(seeded.Gid);
                    _seeded.Remove(hash);
                    _log.Info("No longer seeding {0} ({1})", seeded.Image.Key, hash);
                }
            // A download that stopped by itself (error) is added again on the next check.
            foreach (var (hash, seeded) in _seeded.ToList())
            {
                var status = await rpc.TellStatusAsync(seeded.Gid);
                if (status.Status is "error" or "removed" or "complete")
                {
                    _lastError = $"aria2 stopped seeding {seeded.Image.Key}: {status.ErrorMessage} (code {status.ErrorCode}).";
                    await rpc.RemoveAsync(seeded.Gid);
                    _seeded.Remove(hash);
                }
            }
            foreach (var (hash, image) in wanted)
            {
                if (_seeded.ContainsKey(hash)) continue;
                var bytes = await File.ReadAllBytesAsync(image.TorrentPath);
                var pieces = TorrentMetainfo.Parse(bytes).PieceCount;
                var gid = await rpc.AddTorrentAsync(bytes, new Dictionary<string, string>
                {
                    ["dir"] = Path.GetDirectoryName(image.ImagePath)!,
                    ["bt-seed-unverified"] = "true",
                    ["check-integrity"] = "false",
                    ["seed-ratio"] = "0.0",
                    ["auto-save-interval"] = "0",
                    ["bt-max-peers"] = _settings.SeederMaxPeers.ToString(),
                });
                _seeded[hash] = (image, gid, pieces);
                _log.Info("Seeding {0} ({1}) in place from {2}", image.Key, hash, image.ImagePath);
            }
        }
        catch (Exception e) when (e is Aria2Exception or IOException or HttpRequestException or TaskCanceledException)
        {
            _lastError = e.Message;
            _log.Warning("The seeder: {0}", e.Message);
        }
    }

    private async Task<SeederState> StateAsync()
    {
        var images = new Dictionary<string, SeededImage>();
        if (_aria2 is { HasExited: false } aria2)
            foreach (var (hash, seeded) in _seeded)
            {
                try
                {
                    images[hash] = new SeededImage(seeded.Image, await aria2.Rpc.TellStatusAsync(seeded.Gid),
                        await aria2.Rpc.GetPeersAsync(seeded.Gid, seeded.Pieces));
                }
                catch (Aria2Exception) { }
            }
        return new SeederState(_aria2 is { HasExited: false } a ? a.Id : null, _aria2?.ListenPort ?? 0, images, _lastError);
    }
}
