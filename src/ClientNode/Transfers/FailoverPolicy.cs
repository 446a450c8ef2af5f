using OgActors.ClientNode.Cache;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Transfers;

/// <summary>One fail-over of a job: repository <paramref name="From"/> went away (at <paramref name="At"/> bytes; null = before the
/// transfer began, when the job asked it about the image) for <paramref name="Why"/>, and <paramref name="To"/> took over —
/// resuming where the bytes stopped (<paramref name="Resumed"/>, a download into the cache) or from the start (a direct restore).</summary>
public sealed record FailoverStep(string From, long? At, string Why, string To, bool Resumed);

/// <summary>What to do after a repository went away, or after an alternate could not take over.</summary>
public abstract record FailoverDecision
{
    /// <summary>Ask this alternate about the image; it takes over if it holds the same content.</summary>
    public sealed record Try(RepositoryCopy Alternate) : FailoverDecision;

    /// <summary>No alternate is left: the job fails with <paramref name="Sentence"/>.</summary>
    public sealed record GiveUp(string Sentence) : FailoverDecision;
}

/// <summary>
/// The fail-over decisions of one job's transfer, pure (no I/O; <see cref="RepositoryFailover"/> asks the repositories and
/// obeys): which alternate comes next, whether one that answered holds the job's content, and the sentences the outcome
/// carries. Rules:
/// <list type="bullet">
/// <item>alternates are tried in the coordinator's order (<see cref="JobSpec.Alternates"/>), each at most once per job; a
/// repository that went away is not tried again;</item>
/// <item>an alternate takes over only with the <b>same content</b>: its full MD5 (and size) equal to what the job began with —
/// the coordinator's word for an alternate is checked against the alternate's own answer, since a copy can change after the
/// session was planned; before the job knew its content (its repository could not be asked at all) the coordinator's full
/// sum for the alternates is the reference;</item>
/// <item>when none is left the job fails with one sentence naming the repository that went away, where, and why no other
/// could take over ("no other repository holds image X with the same content", or each alternate's reason).</item>
/// </list>
/// </summary>
public sealed class FailoverPolicy
{
    private readonly string _image;
    private readonly Queue<RepositoryCopy> _untried;
    private readonly List<string> _unusable = [];
    private readonly List<FailoverStep> _steps = [];
    private readonly HashSet<string> _gone = new(StringComparer.Ordinal);
    private (string Repository, long? At, string Why, bool Resumes)? _lost;
    private bool _contentKnown;

    /// <param name="image">The image's name.</param>
    /// <param name="primary">The repository the job fetches from first (<see cref="JobSpec.Repository"/>).</param>
    /// <param name="alternates">The coordinator's alternates, in the order to try them (null: none).</param>
    public FailoverPolicy(string image, string primary, IReadOnlyList<RepositoryCopy>? alternates)
    {
        _image = image;
        Current = primary;
        var declared = alternates?.FirstOrDefault()?.FullSum;
        FullSum = declared?.ToLowerInvariant() ?? "";
        _untried = new Queue<RepositoryCopy>((alternates ?? []).Where(a => a.Repository != primary).DistinctBy(a => a.Repository));
    }

    /// <summary>The repository the job fetches from now.</summary>
    public string Current { get; private set; }

    /// <summary>The content the job fetches: its full MD5 (until the job's repository describes it, the coordinator's for the alternates, or "") and size (0 until known).</summary>
    public string FullSum { get; private set; }
    public long Size { get; private set; }

    /// <summary>The fail-overs that happened, in order.</summary>
    public IReadOnlyList<FailoverStep> Steps => _steps;

    /// <summary>Bytes that streamed from repositories that went away and were not kept (a direct restore starts again).</summary>
    public long DiscardedBytes => _steps.Where(s => !s.Resumed).Sum(s => s.At ?? 0);

    /// <summary>The job learnt its content from the repository it fetches from: what every alternate must hold from now on.</summary>
    public void Content(RepositoryImageFacts facts)
    {
        _contentKnown = true;
        FullSum = facts.FullSum.ToLowerInvariant();
        Size = facts.SizeBytes;
    }

    /// <summary>
    /// The current repository went away: at <paramref name="at"/> bytes of the transfer (null = when the job asked it about the
    /// image, before any byte), for <paramref name="why"/>; <paramref name="resumes"/>: the transfer can continue from
    /// <paramref name="at"/> (a download into the cache) rather than start again (a direct restore).
    /// </summary>
    public FailoverDecision Lost(long? at, string why, bool resumes)
    {
        _gone.Add(Current);
        _lost = (Current, at, Clause(why), resumes);
        _unusable.Clear();
        return Next();
    }

    /// <summary>Null when an alternate that answered holds the job's content, else why it cannot take over.</summary>
    public string? Mismatch(RepositoryCopy alternate, RepositoryImageFacts facts)
    {
        var reference = FullSum.Length > 0 ? FullSum : alternate.FullSum.ToLowerInvariant();
        if (!string.Equals(facts.FullSum, reference, StringComparison.OrdinalIgnoreCase))
            return $"holds another content of {_image} (full sum {facts.FullSum.ToLowerInvariant()}, not {reference})";
        if (Size > 0 && facts.SizeBytes != Size)
            return $"holds a copy of {_image} of {facts.SizeBytes} bytes, not {Size}";
        return null;
    }

    /// <summary>The alternate tried could not take over (unreachable, another content, no address here): the next one, or give up.</summary>
    public FailoverDecision Unusable(RepositoryCopy alternate, string why)
    {
        _gone.Add(alternate.Repository);
        _unusable.Add($"{alternate.Repository} {Clause(why)}");
        return Next();
    }

    /// <summary>The alternate answered with the job's content and takes over; returns the sentence to log.</summary>
    public string TookOver(RepositoryCopy alternate, RepositoryImageFacts facts)
    {
        var lost = _lost ?? throw new InvalidOperationException("No repository went away.");
        if (!_contentKnown) Content(facts); // the job learns its content from the alternate that answered instead
        _steps.Add(new FailoverStep(lost.Repository, lost.At, lost.Why, alternate.Repository, lost.Resumes && lost.At is not null));
        Current = alternate.Repository;
        _lost = null;
        return $"{Went(lost.Repository, lost.At, lost.Why)}; continuing from {alternate.Repository}, which holds the same content.";
    }

    /// <summary>
    /// What the outcome says of the fail-overs ("" when none): "Repository repo1 went away at 37 MiB of 120 MiB of image aula
    /// (connection reset); finished from repo2, resuming at 37 MiB; it holds the same content (full sum …)." A direct restore
    /// says it started again; <paramref name="finished"/> false (the job failed later) says "continued" instead of "finished".
    /// </summary>
    public string Note(bool finished = true)
    {
        if (_steps.Count == 0) return "";
        var parts = _steps.Select((s, i) =>
        {
            var how = s.At is null ? $"{s.To} answered instead"
                : s.Resumed ? $"{(finished && i == _steps.Count - 1 ? "finished" : "continued")} from {s.To}, resuming at {CachePolicy.Size(s.At.Value)}"
                : $"the restore started again from {s.To} (a partition restore cannot resume mid-stream)";
            return $"{Went(s.From, s.At, s.Why)}; {how}";
        });
        return $"{string.Join("; then ", parts)}; {(_steps.Count == 1 ? "it holds" : "each holds")} the same content (full sum {FullSum}).";
    }

    private FailoverDecision Next()
    {
        while (_untried.TryDequeue(out var next))
        {
            if (_gone.Contains(next.Repository)) continue;
            // The coordinator said this copy is another content than the one the job has begun: not worth asking.
            if (FullSum.Length > 0 && next.FullSum.Length > 0 && !string.Equals(next.FullSum, FullSum, StringComparison.OrdinalIgnoreCase))
            {
                _unusable.Add($"{next.Repository} holds another content of {_image} (full sum {next.FullSum.ToLowerInvariant()})");
                continue;
            }
            return new FailoverDecision.Try(next);
        }
        return new FailoverDecision.GiveUp(GiveUpSentence());
    }

    private string GiveUpSentence()
    {
        var lost = _lost!.Value;
        var content = FullSum.Length > 0 ? $" (full sum {FullSum})" : "";
        var others = _unusable.Count == 0
            ? $"no other repository holds image {_image} with the same content{content}"
            : $"no other repository could take over with the same content{content}: {string.Join("; ", _unusable)}";
        var after = lost.At is > 0
            ? lost.Resumes ? "; the partial copy is kept in the cache and the download resumes from there next time" : "; the partition's content is unknown"
            : "";
        return $"{Went(lost.Repository, lost.At, lost.Why)}, and {others}{after}.";
    }

    private string Went(string repository, long? at, string why) => at is null
        ? $"Repository {repository} cannot be reached ({why})"
        : $"Repository {repository} went away at {CachePolicy.Size(at.Value)}{(Size > 0 ? $" of {CachePolicy.Size(Size)}" : "")} of image {_image} ({why})";

    /// <summary>A reason as a clause: no final full stop (it goes inside a sentence).</summary>
    private static string Clause(string why) => why.Trim().TrimEnd('.');
}
