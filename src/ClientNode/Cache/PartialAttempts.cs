using System.Globalization;

namespace OgActors.ClientNode.Cache;

/// <summary>
/// Whose partial copy a cache holds and what its attempts cost so far, kept beside it as <c>NAME.img.part.job</c>.
/// A job is one session on one computer (<c>SESSION/COMPUTER</c>). The bytes of the partial copy count as this job's only
/// from <see cref="TakenOverAt"/> on: bytes before it were fetched by another job (an earlier session) and are resumed from,
/// not transferred, by this one. <see cref="Duration"/> is the download time of this job's earlier attempts, checkpointed
/// while they ran (at most <see cref="AttemptTracker.CheckpointEvery"/> behind for an attempt whose process was killed).
/// Bytes the same job fetched and then had to throw away (the repository's file changed under it) are not counted.
/// </summary>
public sealed record PartialAttempts(string Job, long TakenOverAt, TimeSpan Duration, int Attempts)
{
    /// <summary>
    /// What the attempt of <paramref name="job"/> that starts now from <paramref name="resumedFrom"/> bytes inherits: the
    /// earlier attempts' bytes and time when the partial copy is this job's own, nothing when another job left it.
    /// </summary>
    public static (PartialAttempts Record, long EarlierBytes) Resume(PartialAttempts? recorded, string job, long resumedFrom) =>
        recorded is not null && job.Length > 0 && recorded.Job == job && resumedFrom >= recorded.TakenOverAt
            ? (recorded with { Attempts = recorded.Attempts + 1 }, resumedFrom - recorded.TakenOverAt)
            : (new PartialAttempts(job, resumedFrom, TimeSpan.Zero, 1), 0);

    public string Format() => string.Join('\n', Job, TakenOverAt.ToString(CultureInfo.InvariantCulture),
        Duration.Ticks.ToString(CultureInfo.InvariantCulture), Attempts.ToString(CultureInfo.InvariantCulture)) + "\n";

    /// <summary>The record written by <see cref="Format"/>, or null when the text is not one (then nothing is inherited).</summary>
    public static PartialAttempts? Parse(string? text)
    {
        var lines = text?.Split('\n') ?? [];
        return lines.Length >= 4
               && long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var at)
               && long.TryParse(lines[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
               && int.TryParse(lines[3], NumberStyles.None, CultureInfo.InvariantCulture, out var attempts) && attempts > 0
            ? new PartialAttempts(lines[0], at, TimeSpan.FromTicks(ticks), attempts)
            : null;
    }
}

/// <summary>
/// One attempt of a job at fetching a partial copy: what it inherits from the job's earlier attempts, and the checkpoint of
/// its own download time into the cache (throttled while it runs, once more when it ends, however it ends).
/// </summary>
public sealed class AttemptTracker
{
    public static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(1);

    private readonly ImageCache _cache;
    private readonly string _name;
    private PartialAttempts _record;
    private TimeSpan _lastCheckpoint = TimeSpan.MinValue;
    private TimeSpan _elapsed;

    internal AttemptTracker(ImageCache cache, string name, string job, long resumedFrom)
    {
        _cache = cache;
        _name = name;
        (_record, EarlierBytes) = PartialAttempts.Resume(cache.PartialAttempts(name), job, resumedFrom);
        EarlierDuration = _record.Duration;
        Checkpoint(TimeSpan.Zero, force: true);
    }

    /// <summary>Bytes of the partial copy this job's earlier attempts fetched (0 for a first attempt or another job's copy).</summary>
    public long EarlierBytes { get; private set; }

    /// <summary>The earlier attempts' download time.</summary>
    public TimeSpan EarlierDuration { get; }

    /// <summary>This attempt's number (1 = the first of this job).</summary>
    public int Attempt => _record.Attempts;

    /// <summary>The partial copy was started over from byte 0 (its version changed): its earlier bytes are gone, the time spent is not.</summary>
    public void StartedOver()
    {
        EarlierBytes = 0;
        _record = _record with { TakenOverAt = 0 };
        Checkpoint(_elapsed, force: true);
    }

    /// <summary>Records the job's download time so far (this attempt's <paramref name="elapsed"/> plus the earlier ones').</summary>
    public void Checkpoint(TimeSpan elapsed, bool force = false)
    {
        _elapsed = elapsed;
        if (!force && elapsed - _lastCheckpoint < CheckpointEvery) return;
        _lastCheckpoint = elapsed;
        _cache.WritePartialAttempts(_name, _record with { Duration = EarlierDuration + elapsed });
    }
}
