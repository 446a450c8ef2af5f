using OgActors.Imaging.Torrent;

namespace OgActors.ClientNode.Transfers.Torrent;

/// <summary>What this computer seeds in the background after a job, and until when (null = until its job ends).</summary>
public sealed record BackgroundSeed(string Image, string Gid, DateTimeOffset? Until);

/// <summary>
/// The computer's one aria2c (started when a torrent job first needs it, started again if it died; <c>--stop-with-process</c>
/// ties it to this node, and <see cref="Dispose"/> ends it), and what it seeds in the background: a seed runs while its job
/// runs and for the seed time after it (<see cref="SeedFor"/>), and stops at that deadline, when a new job needs the cache
/// (<see cref="StopSeedingAsync"/>), or when the node stops.
/// </summary>
public sealed class TorrentClient : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };
    private readonly Dictionary<string, BackgroundSeed> _seeds = new(StringComparer.Ordinal);
    private readonly Timer _expiry;
    private readonly Aria2Options _options;
    private Aria2Process? _aria2;
    private bool _disposed;

    public TorrentClient(Aria2Options? options = null)
    {
        _options = options ?? new Aria2Options();
        _expiry = new Timer(_ => _ = ExpireAsync(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Is aria2c installed (a computer without it does not announce torrent jobs)?</summary>
    public static bool Available => Aria2Process.Available;

    public int? ProcessId => _aria2 is { HasExited: false } a ? a.Id : null;

    public IReadOnlyList<BackgroundSeed> Seeds { get { lock (_seeds) return [.. _seeds.Values]; } }

    /// <summary>aria2's RPC, starting aria2c when it is not running.</summary>
    public async Task<Aria2Rpc> RpcAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_aria2 is null || _aria2.HasExited)
            {
                _aria2?.Dispose();
                lock (_seeds) _seeds.Clear(); // a dead aria2 seeds nothing any more
                _aria2 = await Aria2Process.StartAsync(_options, _http, cancellationToken);
            }
            return _aria2.Rpc;
        }
        finally { _lock.Release(); }
    }

    /// <summary>Records a seed of <paramref name="image"/> (aria2 download <paramref name="gid"/>) that lasts until its job ends.</summary>
    public void Seeding(string image, string gid)
    {
        lock (_seeds) _seeds[image] = new BackgroundSeed(image, gid, null);
    }

    /// <summary>The job that seeds <paramref name="image"/> ended: its seed goes on for <paramref name="seconds"/> more (0: stops now).</summary>
    public void SeedFor(string image, int seconds)
    {
        lock (_seeds)
            if (_seeds.TryGetValue(image, out var seed))
                _seeds[image] = seed with { Until = DateTimeOffset.UtcNow.AddSeconds(Math.Max(0, seconds)) };
        _ = ExpireAsync();
    }

    /// <summary>A new job needs the cache: every background seed stops (its files stay).</summary>
    public async Task StopSeedingAsync(CancellationToken cancellationToken = default)
    {
        List<BackgroundSeed> seeds;
        lock (_seeds) { seeds = [.. _seeds.Values]; _seeds.Clear(); }
        if (seeds.Count == 0 || _aria2 is not { HasExited: false } aria2) return;
        foreach (var seed in seeds) await aria2.Rpc.RemoveAsync(seed.Gid, cancellationToken);
    }

    private async Task ExpireAsync()
    {
        List<BackgroundSeed> due;
        var now = DateTimeOffset.UtcNow;
        lock (_seeds)
        {
            due = [.. _seeds.Values.Where(s => s.Until is { } until && until <= now)];
            foreach (var seed in due) _seeds.Remove(seed.Image);
        }
        if (due.Count == 0 || _aria2 is not { HasExited: false } aria2) return;
        foreach (var seed in due)
            try { await aria2.Rpc.RemoveAsync(seed.Gid); } catch (Exception) { /* aria2 gone: nothing seeds */ }
    }

    /// <summary>Ends aria2c; a second call does nothing (the job runner disposes its client when it stops, and so may its owner).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _expiry.Dispose();
        _aria2?.Dispose();
        _http.Dispose();
    }
}
