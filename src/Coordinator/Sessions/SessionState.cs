using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Sessions;

/// <summary>
/// A deployment session's persisted state and its transitions. Per computer: queued → running →
/// succeeded | failed | skipped. Live progress (bytes, rate, ETA, why a job waits) is kept beside it, not persisted.
/// </summary>
public sealed class SessionState
{
    private readonly Dictionary<string, JobView> _jobs;

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
        if (e.Outcome != JobOutcome.Failed || !written) return null;
        return (0, $"the restore of {(plan.Image.Length > 0 ? plan.Image : "the partition")} failed in session {e.SessionId} after writing began: {e.Error.TrimEnd('.')}");
    }

    public static bool IsEnded(JobStatus s) => s is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Skipped;

    public static SessionState Create(SessionCreated e) => new(e.SessionId, e.Plan, e.By, e.At);

    public void Apply(ISessionEvent evt)
    {
        switch (evt)
        {
            case ComputerJobStarted e:
                Update(e.Computer, j => j with { Status = JobStatus.Running, Path = e.Path, Reason = e.Reason, Waiting = "", StartedAt = e.At });
                break;
            case ComputerJobFinished e:
                Update(e.Computer, j => j with
                {
                    Status = e.Outcome switch { JobOutcome.Succeeded => JobStatus.Succeeded, JobOutcome.Skipped => JobStatus.Skipped, _ => JobStatus.Failed },
                    Path = e.Path.Length > 0 ? e.Path : j.Path, Reason = e.Reason.Length > 0 ? e.Reason : j.Reason,
                    Bytes = e.Bytes, Duration = e.Duration, Error = e.Error, Waiting = "", Eta = null, BytesPerSecond = 0,
                    FinishedAt = e.At,
                });
                break;
            case SessionFinished e:
                Outcome = e.Outcome; FinishedAt = e.At;
                break;
        }
    }

    public void Waiting(string computer, string reason) => Update(computer, j => j.Status == JobStatus.Queued ? j with { Waiting = reason } : j);

    public void Progress(JobProgress p) => Update(p.Computer, j => !IsEnded(j.Status)
        ? j with { Bytes = p.Bytes, TotalBytes = p.TotalBytes, BytesPerSecond = p.BytesPerSecond, Eta = p.Eta }
        : j);

    public SessionFinished Conclude(DateTimeOffset at)
    {
        int ok = _jobs.Values.Count(j => j.Status == JobStatus.Succeeded), failed = _jobs.Values.Count(j => j.Status == JobStatus.Failed),
            skipped = _jobs.Values.Count(j => j.Status == JobStatus.Skipped);
        var outcome = failed == 0 ? SessionOutcome.Succeeded : ok > 0 ? SessionOutcome.PartlySucceeded : SessionOutcome.Failed;
        return new SessionFinished(Id, outcome, ok, failed, skipped, "coordinator", at);
    }

    public SessionView View() =>
        new(Id, Plan, By, CreatedAt, Outcome, FinishedAt, [.. _jobs.Values.OrderBy(j => j.Computer, StringComparer.OrdinalIgnoreCase)]);

    /// <summary>The job a computer is asked to run, with its classroom's transfer parameters.</summary>
    public JobSpec SpecFor(SessionTarget target)
    {
        var parameters = Plan.ParametersByClassroom[target.Classroom];
        var repository = Plan.Repository.Length > 0 ? Plan.Repository : target.Repository;
        return new JobSpec(Plan.Kind, target.Role, Plan.Image, Plan.ImageRevision, Plan.Partition, repository, Plan.Method,
            parameters.Multicast, parameters.P2P, Plan.Master, Plan.Source);
    }

    private void Update(string computer, Func<JobView, JobView> change)
    {
        if (_jobs.TryGetValue(computer, out var job)) _jobs[job.Computer] = change(job);
    }
}
