using System.Net;
using OgActors.ClientNode.Cache;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Transfers;

/// <summary>
/// One job's fail-over between repositories, the I/O side of <see cref="FailoverPolicy"/>: it asks the repository the job
/// fetches from now (<see cref="Current"/>) about the image and, when that repository went away
/// (<see cref="RepositoryLostException"/>), asks the alternates the policy names in turn — each within
/// <see cref="ProbeTimeout"/> — and opens the image on the first that holds the same content, from the offset where the
/// bytes stopped. The transfer path (<see cref="UnicastTransfer"/>) and the cache check use it; they run one after the other,
/// never at once.
/// </summary>
/// <param name="clientFor">How this computer reaches an alternate (null: it does not know where it is).</param>
/// <param name="notice">Told each take-over as one sentence (the job logs it).</param>
public sealed class RepositoryFailover(
    FailoverPolicy policy, RepositoryClient primary, Func<RepositoryCopy, RepositoryClient?> clientFor, Action<string>? notice = null)
{
    /// <summary>How long an alternate may take to describe the image, and then to answer its GET, before the next one is asked.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a download may wait for its next byte before its repository counts as gone (a host switched off answers nothing).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public FailoverPolicy Policy => policy;

    /// <summary>The repository the job fetches from now.</summary>
    public RepositoryClient Current { get; private set; } = primary;

    /// <summary>The image as the current repository describes it; when that repository cannot be reached, as the first alternate with the same content does (which becomes current).</summary>
    public async Task<RepositoryImageFacts> DescribeAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            var facts = await Current.DescribeAsync(image, cancellationToken);
            policy.Content(facts);
            return facts;
        }
        catch (RepositoryLostException lost) when (!cancellationToken.IsCancellationRequested)
        {
            var (_, facts, response) = await TakeOverAsync(policy.Lost(null, lost.Why, resumes: false), image, null, cancellationToken);
            response?.Dispose();
            return facts;
        }
    }

    /// <summary>
    /// The current repository went away at byte <paramref name="at"/> of <paramref name="image"/>: opens the image on the first
    /// alternate with the same content — from <paramref name="at"/> when the transfer <paramref name="resumes"/> (a 206 answer),
    /// else from the start — which becomes current. Throws a <see cref="RepositoryException"/> with the policy's sentence when
    /// none can take over.
    /// </summary>
    public async Task<(RepositoryClient Source, HttpResponseMessage Response)> ResumeAsync(
        string image, long at, RepositoryLostException lost, bool resumes, CancellationToken cancellationToken)
    {
        var from = resumes ? at : 0;
        var (client, _, response) = await TakeOverAsync(policy.Lost(at, lost.Why, resumes), image, from, cancellationToken);
        return (client, response!);
    }

    private async Task<(RepositoryClient Client, RepositoryImageFacts Facts, HttpResponseMessage? Response)> TakeOverAsync(
        FailoverDecision decision, string image, long? from, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (decision is FailoverDecision.GiveUp giveUp) throw new RepositoryException(giveUp.Sentence);
            var alternate = ((FailoverDecision.Try)decision).Alternate;
            if (clientFor(alternate) is not { } client)
            {
                decision = policy.Unusable(alternate, "has no address this computer knows (og.computer.repositories, or the address it announced)");
                continue;
            }
            HttpResponseMessage? response = null;
            try
            {
                RepositoryImageFacts facts;
                using (var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    probe.CancelAfter(ProbeTimeout);
                    facts = await client.DescribeAsync(image, probe.Token);
                }
                if (policy.Mismatch(alternate, facts) is { } why) { decision = policy.Unusable(alternate, why); continue; }
                if (from is { } offset)
                {
                    response = await client.GetImageAsync(image, offset, facts.FullSum, cancellationToken, ProbeTimeout);
                    if (offset > 0 && response.StatusCode != HttpStatusCode.PartialContent)
                    {
                        response.Dispose();
                        decision = policy.Unusable(alternate, $"did not send the image from byte {offset} (HTTP {(int)response.StatusCode})");
                        continue;
                    }
                }
                var took = policy.TookOver(alternate, facts);
                notice?.Invoke(took);
                Current = client;
                return (client, facts, response);
            }
            catch (RepositoryException e) when (!cancellationToken.IsCancellationRequested)
            {
                response?.Dispose();
                decision = policy.Unusable(alternate, e is RepositoryLostException l ? $"cannot be reached either ({l.Why})" : $"cannot send it ({e.Message.TrimEnd('.')})");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                response?.Dispose();
                decision = policy.Unusable(alternate, $"did not answer within {ProbeTimeout.TotalSeconds:0} s");
            }
        }
    }
}
