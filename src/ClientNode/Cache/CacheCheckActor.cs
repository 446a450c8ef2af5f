using Akka.Actor;
using OgActors.ClientNode.Transfers;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Cache;

/// <summary>
/// One per deploy, restore or cache update on a computer: asks the repository what its copy of the image is (size,
/// <c>.sum</c>, <c>.full.sum</c>), looks at the cache (capacity, free space, cached copy and its sums, partial copy), lets
/// <see cref="CachePolicy.Decide"/> choose the path, tells its parent <see cref="Checked"/> (or <see cref="Failed"/>) and stops.
/// With the job's <see cref="RepositoryFailover"/>, a repository that cannot be reached is replaced by the first alternate
/// holding the same content (the failover's <c>Current</c> then names it).
/// <code>
/// asking the repository ──facts──▶ decide ──▶ parent ! Checked(decision, facts) ──▶ stop
///          └──────────── error ──▶ parent ! Failed(sentence) ──▶ stop
/// </code>
/// </summary>
public sealed class CacheCheckActor : ReceiveActor
{
    /// <summary>The decision, with what the repository said of the image (the transfer needs its size and sums).</summary>
    public sealed record Checked(CacheDecision Decision, RepositoryImageFacts Image) : INoSerializationVerificationNeeded;

    /// <summary>The check could not be made (repository unreachable, image not served there).</summary>
    public sealed record Failed(string Reason) : INoSerializationVerificationNeeded;

    private sealed record Described(RepositoryImageFacts Image) : INoSerializationVerificationNeeded;

    private sealed record NotDescribed(Exception Cause) : INoSerializationVerificationNeeded;

    private readonly ImageCache? _cache;
    private readonly RepositoryClient _repository;
    private readonly RepositoryFailover? _failover;
    private readonly JobSpec _spec;
    private readonly CancellationTokenSource _stop = new();

    public CacheCheckActor(ImageCache? cache, RepositoryClient repository, JobSpec spec, RepositoryFailover? failover = null)
    {
        _cache = cache;
        _repository = repository;
        _failover = failover;
        _spec = spec;
        Receive<Described>(described =>
        {
            var facts = _cache is null ? null : CacheFacts.Of(_cache, described.Image);
            Context.Parent.Tell(new Checked(CachePolicy.Decide(_spec.Kind, _spec.Method, described.Image, facts), described.Image));
            Context.Stop(Self);
        });
        Receive<NotDescribed>(failure =>
        {
            Context.Parent.Tell(new Failed(failure.Cause is RepositoryException ? failure.Cause.Message
                : $"The cache check of {_spec.Image} failed: {failure.Cause.Message}"));
            Context.Stop(Self);
        });
    }

    public static Props Props(ImageCache? cache, RepositoryClient repository, JobSpec spec, RepositoryFailover? failover = null) =>
        Akka.Actor.Props.Create(() => new CacheCheckActor(cache, repository, spec, failover));

    protected override void PreStart() =>
        (_failover?.DescribeAsync(_spec.Image, _stop.Token) ?? _repository.DescribeAsync(_spec.Image, _stop.Token)).PipeTo(Self, success: facts => new Described(facts),
            failure: e => new NotDescribed(e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerException! : e));

    protected override void PostStop() => _stop.Cancel();
}
