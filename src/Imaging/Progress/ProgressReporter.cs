using System.Diagnostics;

namespace OgActors.Imaging.Progress;

/// <summary>Turns byte counts into <see cref="TransferProgress"/> samples, at most four a second.</summary>
internal sealed class ProgressReporter(IProgress<TransferProgress>? progress, long? total)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastReportTicks = -Stopwatch.Frequency;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Reports <paramref name="bytes"/> done; <paramref name="totalOverride"/> replaces the total once it becomes known.</summary>
    public void Report(long bytes, bool force = false, long? totalOverride = null)
    {
        if (progress is null) return;
        var now = _clock.ElapsedTicks;
        if (!force && now - Interlocked.Read(ref _lastReportTicks) < Stopwatch.Frequency / 4) return;
        Interlocked.Exchange(ref _lastReportTicks, now);
        var seconds = _clock.Elapsed.TotalSeconds;
        var rate = seconds > 0 ? bytes / seconds : 0;
        var knownTotal = totalOverride ?? total;
        TimeSpan? eta = knownTotal is > 0 && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, knownTotal.Value - bytes) / rate) : null;
        progress.Report(new TransferProgress(bytes, knownTotal, rate, eta));
    }
}
