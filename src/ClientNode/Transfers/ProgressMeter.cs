using System.Diagnostics;
using OgActors.Imaging.Progress;

namespace OgActors.ClientNode.Transfers;

/// <summary>Turns the bytes a transfer has moved into <see cref="TransferProgress"/> samples (rate, ETA), at most four a second.</summary>
public sealed class ProgressMeter(IProgress<TransferProgress>? progress, long? total, long alreadyDone = 0)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastTicks = -Stopwatch.Frequency;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary><paramref name="bytes"/> done in all, of which <c>alreadyDone</c> were there before this transfer (they count for the total, not the rate).</summary>
    public void Report(long bytes, bool force = false)
    {
        if (progress is null) return;
        var now = _clock.ElapsedTicks;
        if (!force && now - _lastTicks < Stopwatch.Frequency / 4) return;
        _lastTicks = now;
        var seconds = _clock.Elapsed.TotalSeconds;
        var rate = seconds > 0 ? (bytes - alreadyDone) / seconds : 0;
        TimeSpan? eta = total is > 0 && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, total.Value - bytes) / rate) : null;
        progress.Report(new TransferProgress(bytes, total, rate, eta));
    }
}
