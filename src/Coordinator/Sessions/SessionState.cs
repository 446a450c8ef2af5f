using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Sessions;

/// <summary>
/// A deployment session's persisted state and its transitions. Per computer: queued → running →
/// succeeded | failed | skipped | cancelled. Live progress (bytes, rate, ETA, why a job waits, since when its computer is
/// offline) is kept beside it, not persisted. A job whose computer is offline shows as <see cref="JobStatus.Waiting"/> and
/// fails once it has been offline for the plan's offline limit (<see cref="OfflineExpired"/>).
/// </summary>
public sealed class SessionState
{
    private readonly Dictionary<string, JobView> _jobs;
    private readonly Dictionary<string, (DateTimeOffset Since, string Reason)> _offline = new(StringComparer.OrdinalIgnoreCase);

    private SessionState(string id, SessionPlan plan, string by, DateTimeOffset at)
    {
        Id = id; Plan = plan; By = by; CreatedAt = at;
        _jobs = plan.Targets.ToDictionary(t => t.Computer, t => new JobView(t.Computer, t.Classroom, t.Role, JobStatus.Queued,
            "", "", "", 0, 0, 0, null, TimeSpan.Zero, "", null, null), StringComparer.OrdinalIgnoreCase);
    }

    public string Id { get; }
    public SessionPlan Plan { get; }
    public string By { get; }
    public DateTimeOffset CreatedAt { get; }
    public SessionOutcome? Outcome { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    /// <summary>Who cancelled the session (null: not cancelled).</summary>
    public string? CancelledBy { get; private set; }

    public IEnumerable<JobView> Jobs => _jobs.Values;
    public JobView? Job(string computer) => _jobs.GetValueOrDefault(computer);
    public bool AllJobsEnded => _jobs.Values.All(j => IsEnded(j.Status));
    /// <summary>
    /// What a finished job means for the partition it targeted (null: nothing to record). Success records the revision
    /// actually restored — the computer's, or the one its restored full sum maps to (0 = a content the image never had),
    /// or the planned one when an older computer reports nothing. A failure after writing began (or, when the computer
    /// does not say, once it started) records the partition as damaged, with no revision.
    /// </summary>
    public static (int Revision, string Damage)? PartitionRecord(SessionPlan plan, ComputerJobFinished e)
    {
        if (plan.Kind is not (SessionKind.Restore or SessionKind.DeployImage or SessionKind.CloneRemote)) return null;
        if (e.Outcome == JobOutcome.Succeeded)
            return (e.Restored switch
            {
                null => plan.ImageRevision,
                { Revision: > 0 } r => r.Revision,
                { FullSum.Length: > 0 } r => plan.ImageRevisions?.GetValueOrDefault(r.FullSum.ToLowerInvariant()) ?? 0,
                _ => plan.ImageRevision,
            }, "");
        var written = e.Restored?.PartitionWritten ?? (e.Path.Length > 0 && e.By != "coordinator");
        if (e.Outcome is not (JobOutcome.Failed or JobOutcome.Cancelled) || !written) return null;
        return (0, $"the restore of {(plan.Image.Length > 0 ? plan.Image : "the partition")} failed in session {e.SessionId} after writing began: {e.Error.TrimEnd('.')}");
    }

    public static bool IsEnded(JobStatus s) => s is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Skipped or JobStatus.Cancelled;

    public static SessionState Create(SessionCreated e) => new(e.SessionId, e.Plan, e.By, e.At);

    public void Apply(ISessionEvent evt)
    {
        switch (evt)
        {
            case ComputerJobStarted e:
                // A start recorded after the job's end (reports overtook each other on their way in) never reopens it.
                if (Job(e.Computer) is { } started && IsEnded(started.Status)) break;
                _offline.Remove(e.Computer);
                Update(e.Computer, j => j with { Status = JobStatus.Running, Path = e.Path, Reason = e.Reason, Waiting = "", StartedAt = j.StartedAt ?? e.At });
                break;
            case ComputerJobFinished e:
                Update(e.Computer, j => j with
                {
                    Status = e.Outcome switch
                    {
                        JobOutcome.Succeeded => JobStatus.Succeeded, JobOutcome.Skipped => JobStatus.Skipped, JobOutcome.Cancelled => JobStatus.Cancelled,
                        _ => JobStatus.Failed,
                    },
                    Path = e.Path.Length > 0 ? e.Path : j.Path, Reason = e.Reason.Length > 0 ? e.Reason : j.Reason,
                    Bytes = e.Bytes, Duration = e.Duration, Error = e.Error, Waiting = "", Eta = null, BytesPerSecond = 0,
                    FinishedAt = e.At, ResumedFrom = e.ResumedFrom, Attempt = e.Attempt,
                });
                _offline.Remove(e.Computer);
                if (e.Outcome == JobOutcome.Cancelled) CancelledBy ??= e.By;
                break;
            case SessionFinished e:
                Outcome = e.Outcome; FinishedAt = e.At;
                break;
        }
    }

    public void Waiting(string computer, string reason) => Update(computer, j => j.Status == JobStatus.Queued ? j with { Waiting = reason } : j);

    /// <summary>The job's computer is offline (or not back since a restart); the first report's time and reason stay.</summary>
    public void Offline(string computer, string reason, DateTimeOffset at)
    {
        if (Job(computer) is { } job && !IsEnded(job.Status)) _offline.TryAdd(job.Computer, (at, reason));
    }

    /// <summary>The job's computer answered (accepted, progress, started): it is not offline any more.</summary>
    public void Heard(string computer) => _offline.Remove(computer);

    /// <summary>
    /// The jobs whose computer has been offline for at least <paramref name="limit"/> at <paramref name="now"/>: each as the
    /// failure to record, with the reason ("pc03 was offline for 10 min").
    /// </summary>
    public IReadOnlyList<JobFinished> OfflineExpired(DateTimeOffset now, TimeSpan limit) =>
    [
        .. _offline.Where(o => now - o.Value.Since >= limit && Job(o.Key) is { } j && !IsEnded(j.Status))
            .Select(o => new JobFinished(Id, o.Key, JobOutcome.Failed, "", "offline",
                Job(o.Key)!.Bytes, Job(o.Key)!.Duration, $"{o.Key} was offline for {Span(limit)} ({o.Value.Reason}).")),
    ];

    /// <summary>Cancelling: every unfinished job ends cancelled, by <paramref name="by"/>.</summary>
    public IReadOnlyList<ComputerJobFinished> Cancel(string by, DateTimeOffset at) =>
    [
        .. _jobs.Values.Where(j => !IsEnded(j.Status)).OrderBy(j => j.Computer, StringComparer.OrdinalIgnoreCase)
            .Select(j => new ComputerJobFinished(Id, j.Computer, JobOutcome.Cancelled, j.Path, j.Reason, j.Bytes,
                j.StartedAt is { } started ? at - started : TimeSpan.Zero, $"Cancelled by {by}.", by, at)),
    ];

    public static string Span(TimeSpan t) =>
        t.TotalMinutes >= 1 && t.Seconds == 0 ? $"{(int)t.TotalMinutes} min" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min {t.Seconds} s" : $"{Math.Max(0, (int)t.TotalSeconds)} s";

    public void Progress(JobProgress p) => Update(p.Computer, j => !IsEnded(j.Status)
        ? j with { Bytes = p.Bytes, TotalBytes = p.TotalBytes, BytesPerSecond = p.BytesPerSecond, Eta = p.Eta, Peers = p.Peers }
        : j);

    public SessionFinished Conclude(DateTimeOffset at)
    {
        int ok = _jobs.Values.Count(j => j.Status == JobStatus.Succeeded), failed = _jobs.Values.Count(j => j.Status == JobStatus.Failed),
            skipped = _jobs.Values.Count(j => j.Status == JobStatus.Skipped);
        var outcome = CancelledBy is not null ? SessionOutcome.Cancelled
            : failed == 0 ? SessionOutcome.Succeeded : ok > 0 ? SessionOutcome.PartlySucceeded : SessionOutcome.Failed;
        return new SessionFinished(Id, outcome, ok, failed, skipped, CancelledBy ?? "coordinator", at);
    }

    public SessionView View() =>
        new(Id, Plan, By, CreatedAt, Outcome, FinishedAt, [.. _jobs.Values.OrderBy(j => j.Computer, StringComparer.OrdinalIgnoreCase)
            .Select(j => !IsEnded(j.Status) && _offline.TryGetValue(j.Computer, out var o) ? j with { Status = JobStatus.Waiting, Waiting = o.Reason } : j)],
            [.. _multicast.Values.OrderBy(m => m.Classroom, StringComparer.OrdinalIgnoreCase)]);

    /// <summary>
    /// The job a computer is asked to run, with its classroom's transfer parameters; a restore, deploy or cache update also
    /// with the repositories it falls over to (<see cref="RepositoryAlternates.For"/>: the same content elsewhere).
    /// </summary>
    public JobSpec SpecFor(SessionTarget target)
    {
        var parameters = Plan.ParametersByClassroom[target.Classroom];
        var repository = Plan.Repository.Length > 0 ? Plan.Repository : target.Repository;
        var alternates = Plan.Kind is SessionKind.Restore or SessionKind.DeployImage or SessionKind.UpdateCache
            ? RepositoryAlternates.For(repository, Plan.Copies) : [];
        return new JobSpec(Plan.Kind, target.Role, Plan.Image, Plan.ImageRevision, Plan.Partition, repository, Plan.Method,
            parameters.Multicast, parameters.P2P, Plan.Master, Plan.Source,
            Plan.Kind == SessionKind.CreateImage ? "" : Plan.Folders?.GetValueOrDefault(repository) ?? "",
            Classroom: target.Classroom, ClassroomComputers: Plan.Kind == SessionKind.CloneRemote
                ? Plan.Targets.Count(t => t.Role == JobRole.Receiver) // remote cloning: the master serves every receiver of the scope
                : Plan.Targets.Count(t => t.Classroom == target.Classroom),
            Alternates: alternates.Count > 0 ? alternates : null);
    }

    // ---- multicast (live, as the senders report it; not persisted) -------------------------------------------------------

    private readonly Dictionary<string, OgActors.Messages.Multicast.MulticastStatus> _multicast = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A multicast sender's latest report on its classroom's transfer.</summary>
    public void Multicast(OgActors.Messages.Multicast.MulticastStatus status) => _multicast[status.Classroom] = status;

    private void Update(string computer, Func<JobView, JobView> change)
    {
        if (_jobs.TryGetValue(computer, out var job)) _jobs[job.Computer] = change(job);
    }
}
