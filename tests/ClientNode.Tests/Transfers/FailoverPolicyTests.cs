using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Transfers;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Tests.Transfers;

/// <summary>The fail-over decisions of a job's transfer, pure: which alternate next, whether it holds the job's content, the sentences.</summary>
public sealed class FailoverPolicyTests
{
    private const string A = "0123456789abcdef0123456789abcdef";
    private const string B = "fedcba9876543210fedcba9876543210";
    private const long Size = 120L << 20;
    private static readonly RepositoryImageFacts Facts = new("aula", Size, "last-mib", A);

    private static RepositoryCopy Copy(string repository, string fullSum = A) => new(repository, $"http://{repository}:5481/", "", fullSum);

    private static FailoverPolicy Policy(params RepositoryCopy[] alternates)
    {
        var policy = new FailoverPolicy("aula", "repo1", alternates);
        policy.Content(Facts);
        return policy;
    }

    [Fact]
    public void The_alternates_are_tried_in_the_coordinators_order_and_the_first_with_the_same_content_takes_over_where_the_bytes_stopped()
    {
        var policy = Policy(Copy("repo2"), Copy("repo3"));

        var first = policy.Lost(37L << 20, "Connection reset by peer.", resumes: true);
        first.Should().Be(new FailoverDecision.Try(Copy("repo2")));
        var next = policy.Unusable(Copy("repo2"), "cannot be reached either (Connection refused)");
        next.Should().Be(new FailoverDecision.Try(Copy("repo3")));
        policy.Mismatch(Copy("repo3"), Facts).Should().BeNull();
        policy.TookOver(Copy("repo3"), Facts).Should().Be(
            "Repository repo1 went away at 37 MiB of 120 MiB of image aula (Connection reset by peer); continuing from repo3, which holds the same content.");

        policy.Current.Should().Be("repo3");
        policy.Steps.Should().Equal(new FailoverStep("repo1", 37L << 20, "Connection reset by peer", "repo3", Resumed: true));
        policy.DiscardedBytes.Should().Be(0, "a download into the cache keeps every byte it had");
        policy.Note().Should().Be(
            $"Repository repo1 went away at 37 MiB of 120 MiB of image aula (Connection reset by peer); finished from repo3, resuming at 37 MiB; it holds the same content (full sum {A}).");
    }

    [Fact]
    public void A_direct_restore_starts_again_on_the_alternate_and_the_bytes_streamed_before_are_counted_as_discarded()
    {
        var policy = Policy(Copy("repo2"));
        policy.Lost(12L << 20, "its response ended after 12582912 of 125829120 bytes", resumes: false).Should().Be(new FailoverDecision.Try(Copy("repo2")));
        policy.TookOver(Copy("repo2"), Facts);

        policy.Steps.Single().Resumed.Should().BeFalse();
        policy.DiscardedBytes.Should().Be(12L << 20);
        policy.Note().Should().Contain("; the restore started again from repo2 (a partition restore cannot resume mid-stream); it holds the same content");
    }

    [Fact]
    public void An_alternate_answering_with_another_content_or_size_cannot_take_over()
    {
        var policy = Policy(Copy("repo2"));
        policy.Mismatch(Copy("repo2"), Facts with { FullSum = B }).Should().Be($"holds another content of aula (full sum {B}, not {A})");
        policy.Mismatch(Copy("repo2"), Facts with { SizeBytes = Size + 1 }).Should().Be($"holds a copy of aula of {Size + 1} bytes, not {Size}");
        policy.Mismatch(Copy("repo2"), Facts with { FullSum = A.ToUpperInvariant() }).Should().BeNull("MD5s compare without case");
    }

    [Fact]
    public void With_no_alternate_the_job_gives_up_in_one_sentence_naming_the_repository_where_and_the_content()
    {
        var resumable = Policy().Lost(37L << 20, "Connection reset by peer", resumes: true);
        resumable.Should().Be(new FailoverDecision.GiveUp(
            $"Repository repo1 went away at 37 MiB of 120 MiB of image aula (Connection reset by peer), and no other repository holds image aula " +
            $"with the same content (full sum {A}); the partial copy is kept in the cache and the download resumes from there next time."));

        var direct = Policy().Lost(37L << 20, "Connection reset by peer", resumes: false);
        direct.Should().BeOfType<FailoverDecision.GiveUp>().Which.Sentence.Should().EndWith("; the partition's content is unknown.");
    }

    [Fact]
    public void When_every_alternate_fails_the_sentence_says_why_each_could_not_take_over()
    {
        var policy = Policy(Copy("repo2"), Copy("repo3"));
        policy.Lost(1L << 20, "no byte arrived for 30 s", resumes: true);
        policy.Unusable(Copy("repo2"), "cannot be reached either (Connection refused)");
        var gaveUp = policy.Unusable(Copy("repo3"), $"holds another content of aula (full sum {B}, not {A})");

        gaveUp.Should().BeOfType<FailoverDecision.GiveUp>().Which.Sentence.Should().Be(
            $"Repository repo1 went away at 1 MiB of 120 MiB of image aula (no byte arrived for 30 s), and no other repository could take over with the same " +
            $"content (full sum {A}): repo2 cannot be reached either (Connection refused); repo3 holds another content of aula (full sum {B}, not {A}); " +
            "the partial copy is kept in the cache and the download resumes from there next time.");
    }

    [Fact]
    public void An_alternate_the_coordinator_lists_with_another_content_than_the_job_began_with_is_not_asked()
    {
        // The job's own repository changed its file after the session was planned: the coordinator's alternates hold the old content.
        var policy = Policy(Copy("repo2", B));
        policy.Lost(5L << 20, "Connection reset by peer", resumes: true).Should().BeOfType<FailoverDecision.GiveUp>()
            .Which.Sentence.Should().Contain($"repo2 holds another content of aula (full sum {B})");
    }

    [Fact]
    public void A_repository_that_went_away_is_never_tried_again_and_a_second_loss_moves_on_to_the_next()
    {
        var policy = Policy(Copy("repo2"), Copy("repo1"), Copy("repo3"));
        policy.Lost(10L << 20, "reset", resumes: true).Should().Be(new FailoverDecision.Try(Copy("repo2")));
        policy.TookOver(Copy("repo2"), Facts);
        policy.Lost(50L << 20, "reset again", resumes: true).Should().Be(new FailoverDecision.Try(Copy("repo3")), "repo1 went away already");
        policy.TookOver(Copy("repo3"), Facts);

        policy.Steps.Select(s => (s.From, s.To)).Should().Equal(("repo1", "repo2"), ("repo2", "repo3"));
        policy.Note().Should().Contain("; continued from repo2, resuming at 10 MiB; then Repository repo2 went away at 50 MiB")
            .And.Contain("finished from repo3, resuming at 50 MiB; each holds the same content");
        policy.Note(finished: false).Should().NotContain("finished from");
        policy.Lost(60L << 20, "reset", resumes: true).Should().BeOfType<FailoverDecision.GiveUp>();
    }

    [Fact]
    public void Before_the_job_knows_its_content_the_coordinators_full_sum_is_the_reference()
    {
        var policy = new FailoverPolicy("aula", "repo1", [Copy("repo2")]); // repo1 could not even be asked
        policy.Lost(null, "Connection refused", resumes: false).Should().Be(new FailoverDecision.Try(Copy("repo2")));
        policy.Mismatch(Copy("repo2"), Facts with { FullSum = B }).Should().NotBeNull();
        policy.Mismatch(Copy("repo2"), Facts).Should().BeNull();
        policy.TookOver(Copy("repo2"), Facts);

        policy.FullSum.Should().Be(A);
        policy.Size.Should().Be(Size);
        policy.Note().Should().Be($"Repository repo1 cannot be reached (Connection refused); repo2 answered instead; it holds the same content (full sum {A}).");
        new FailoverPolicy("aula", "repo1", null).Lost(null, "Connection refused", resumes: false).Should().Be(new FailoverDecision.GiveUp(
            "Repository repo1 cannot be reached (Connection refused), and no other repository holds image aula with the same content."));
    }
}
