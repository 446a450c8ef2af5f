using Akka.Actor;
using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Jobs;
using OgActors.ClientNode.Tests.Support;
using OgActors.ClientNode.Transfers;
using OgActors.Imaging.Progress;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Tests.Transfers;

/// <summary>
/// Fail-over between repositories on a computer, against the real repository service: "repo1" is that service behind a
/// loopback relay that dies (connections reset, new ones refused) or freezes (nothing more arrives) mid-download; "repo2" is
/// the service reached directly, holding the same file — or, in its "other" folder, another content of the same name.
/// </summary>
public sealed class RepositoryFailoverTests : RepositoryTestBase
{
    private const long Pace = 4L << 20; // bytes per second through repo1's relay
    private readonly UnicastTransfer _unicast = new();

    private static JobSpec Spec(SessionKind kind, string image, IReadOnlyList<RepositoryCopy>? alternates = null) =>
        new(kind, JobRole.Single, image, 1, 1, "repo1", TransferMethod.Unicast, new MulticastSettings(9000, "239.194.0.1", DuplexMode.Full, 100, 0, 60),
            new P2PSettings(P2PMode.Peer, 60), "", null, Alternates: alternates);

    /// <summary>The test ext4 image (seed 1) published on the repository as "ubuntu": its file, size and full sum.</summary>
    private async Task<(string Image, long Size, string Sum)> PublishUbuntuAsync()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        return (image, new FileInfo(image).Length, Tools.Md5(image));
    }

    private RepositoryFailover Failover(RepositoryClient primary, string image, TimeSpan? stall = null, params RepositoryCopy[] alternates) =>
        new(new FailoverPolicy(image, primary.Repository, alternates), primary,
            copy => new RepositoryClient(Http, copy.Repository, new Uri(copy.HttpAddress)) { Folder = copy.Folder })
        {
            StallTimeout = stall ?? TimeSpan.FromSeconds(30),
        };

    [Fact]
    public async Task A_cache_download_whose_repository_dies_resumes_on_the_alternate_from_the_byte_where_it_stopped()
    {
        var (image, size, sum) = await PublishUbuntuAsync();
        await using var link = new DyingLink(BaseUrl, Pace);
        var repo1 = new RepositoryClient(Http, "repo1", link.Url);
        var failover = Failover(repo1, "ubuntu", alternates: new RepositoryCopy("repo2", BaseUrl.ToString(), "", sum));
        var facts = await failover.DescribeAsync("ubuntu", CancellationToken.None);
        var cache = new ImageCache(Path.Combine(Scratch, "cache"), 1L << 30);

        long diedAt = 0;
        var result = await _unicast.UpdateCacheAsync(new TransferRequest(Spec(SessionKind.UpdateCache, "ubuntu"), facts, repo1) { Failover = failover },
            cache, new Inline(p => { if (diedAt == 0 && p.Bytes > size / 3) { diedAt = p.Bytes; link.Die(); } }), CancellationToken.None);

        diedAt.Should().BeGreaterThan(0, "repo1 died mid-download");
        var step = failover.Policy.Steps.Should().ContainSingle().Subject;
        step.Should().Match<FailoverStep>(s => s.From == "repo1" && s.To == "repo2" && s.Resumed);
        step.At.Should().BeGreaterThanOrEqualTo(diedAt).And.BeLessThan(size);
        failover.Current.Repository.Should().Be("repo2");
        result.BytesFetched.Should().Be(size, "repo2 sent only the bytes repo1 had not: each byte crossed once");
        result.Image.FullSum.Should().Be(sum);
        Tools.Md5(cache.ImagePath("ubuntu")).Should().Be(sum);
        File.Exists(cache.PartialPath("ubuntu")).Should().BeFalse();
        failover.Policy.Note().Should().StartWith("Repository repo1 went away at ").And.Contain("finished from repo2, resuming at")
            .And.EndWith($"it holds the same content (full sum {sum}).");
    }

    [Fact]
    public async Task A_direct_restore_whose_repository_dies_streams_again_from_the_alternate_and_the_partition_holds_the_image()
    {
        var (image, size, sum) = await PublishUbuntuAsync();
        await using var link = new DyingLink(BaseUrl, Pace);
        var repo1 = new RepositoryClient(Http, "repo1", link.Url);
        var failover = Failover(repo1, "ubuntu", alternates: new RepositoryCopy("repo2", BaseUrl.ToString(), "", sum));
        var facts = await failover.DescribeAsync("ubuntu", CancellationToken.None);
        var target = TestImages.TargetPartition(Scratch, "pc02-p1");

        var died = 0;
        var result = await _unicast.RestoreDirectAsync(new TransferRequest(Spec(SessionKind.Restore, "ubuntu"), facts, repo1) { Failover = failover },
            target, new Inline(p => { if (p.Bytes > size / 3 && Interlocked.Exchange(ref died, 1) == 0) link.Die(); }), CancellationToken.None);

        died.Should().Be(1, "repo1 died mid-restore");
        var step = failover.Policy.Steps.Should().ContainSingle().Subject;
        step.Should().Match<FailoverStep>(s => s.From == "repo1" && s.To == "repo2" && !s.Resumed);
        failover.Policy.DiscardedBytes.Should().BeGreaterThan(0).And.BeLessThan(size);
        failover.Policy.Note().Should().Contain("the restore started again from repo2 (a partition restore cannot resume mid-stream)");
        result.StreamedFullSum.Should().Be(sum, "every byte of the second stream was hashed against the full sum");
        Tools.CheckExt4AndReadFiles(target, Scratch).Should().BeEquivalentTo(await TestImages.SourceFilesAsync(1));
    }

    [Fact]
    public async Task An_alternate_holding_another_content_does_not_take_over_and_the_job_fails_in_one_sentence_keeping_its_partial_copy()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        var (_, other) = await TestImages.Ext4Async(2);
        await PublishAsync(image, "ubuntu");
        await PublishAsync(other, "ubuntu", folder: "other");
        var (size, sum, otherSum) = (new FileInfo(image).Length, Tools.Md5(image), Tools.Md5(other));
        await using var link = new DyingLink(BaseUrl, Pace);
        var repo1 = new RepositoryClient(Http, "repo1", link.Url);
        // The coordinator's word is stale (it says repo2 holds the same content): the computer believes only repo2's own answer.
        var failover = Failover(repo1, "ubuntu", alternates: new RepositoryCopy("repo2", BaseUrl.ToString(), "other", sum));
        var facts = await failover.DescribeAsync("ubuntu", CancellationToken.None);
        var cache = new ImageCache(Path.Combine(Scratch, "cache"), 1L << 30);

        long diedAt = 0;
        var download = () => _unicast.UpdateCacheAsync(new TransferRequest(Spec(SessionKind.UpdateCache, "ubuntu"), facts, repo1) { Failover = failover },
            cache, new Inline(p => { if (diedAt == 0 && p.Bytes > size / 3) { diedAt = p.Bytes; link.Die(); } }), CancellationToken.None);

        var failure = (await download.Should().ThrowAsync<RepositoryException>()).Which;
        failure.Should().NotBeOfType<RepositoryLostException>("nothing is left to fall over to");
        failure.Message.Should().StartWith("Repository repo1 went away at ")
            .And.Contain($"no other repository could take over with the same content (full sum {sum}): repo2 holds another content of ubuntu (full sum {otherSum}, not {sum})")
            .And.EndWith("the partial copy is kept in the cache and the download resumes from there next time.");
        failover.Policy.Steps.Should().BeEmpty();
        cache.PartialBytes("ubuntu").Should().BeGreaterThanOrEqualTo(diedAt).And.BeLessThan(size);
        cache.Find("ubuntu").Should().BeNull();
    }

    [Fact]
    public async Task A_repository_that_stops_answering_mid_download_counts_as_gone_after_the_stall_timeout()
    {
        var (image, size, sum) = await PublishUbuntuAsync();
        await using var link = new DyingLink(BaseUrl, Pace);
        var repo1 = new RepositoryClient(Http, "repo1", link.Url);
        var failover = Failover(repo1, "ubuntu", TimeSpan.FromSeconds(1), new RepositoryCopy("repo2", BaseUrl.ToString(), "", sum));
        var facts = await failover.DescribeAsync("ubuntu", CancellationToken.None);
        var cache = new ImageCache(Path.Combine(Scratch, "cache"), 1L << 30);

        var result = await _unicast.UpdateCacheAsync(new TransferRequest(Spec(SessionKind.UpdateCache, "ubuntu"), facts, repo1) { Failover = failover },
            cache, new Inline(p => { if (p.Bytes > size / 3) link.Freeze(); }), CancellationToken.None);

        failover.Policy.Steps.Should().ContainSingle().Which.Why.Should().Be("no byte arrived for 1 s");
        result.Image.FullSum.Should().Be(sum);
        result.BytesFetched.Should().Be(size);
    }

    [Fact]
    public async Task A_repository_that_takes_the_download_but_never_answers_it_counts_as_gone_after_the_stall_timeout()
    {
        var (image, size, sum) = await PublishUbuntuAsync();
        await using var link = new DyingLink(BaseUrl, Pace);
        var repo1 = new RepositoryClient(Http, "repo1", link.Url);
        var failover = Failover(repo1, "ubuntu", TimeSpan.FromSeconds(1), new RepositoryCopy("repo2", BaseUrl.ToString(), "", sum));
        var facts = await failover.DescribeAsync("ubuntu", CancellationToken.None);
        var cache = new ImageCache(Path.Combine(Scratch, "cache"), 1L << 30);
        link.Freeze(); // switched off between the cache check and the download: the GET's connection is taken, no answer comes

        var result = await _unicast.UpdateCacheAsync(new TransferRequest(Spec(SessionKind.UpdateCache, "ubuntu"), facts, repo1) { Failover = failover },
            cache, null, CancellationToken.None);

        var step = failover.Policy.Steps.Should().ContainSingle().Subject;
        step.Should().Match<FailoverStep>(s => s.From == "repo1" && s.To == "repo2" && s.At == 0 && s.Why == "no answer arrived for 1 s");
        result.Image.FullSum.Should().Be(sum);
        result.BytesFetched.Should().Be(size);
    }

    [Fact]
    public async Task A_repository_that_cannot_be_reached_when_the_job_asks_about_the_image_is_replaced_by_an_alternate_or_named_in_one_sentence()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        var sum = Tools.Md5(image);
        await using var link = new DyingLink(BaseUrl, Pace);
        link.Die();
        var repo1 = new RepositoryClient(Http, "repo1", link.Url);

        var failover = Failover(repo1, "ubuntu", alternates: new RepositoryCopy("repo2", BaseUrl.ToString(), "", sum));
        var facts = await failover.DescribeAsync("ubuntu", CancellationToken.None);
        facts.FullSum.Should().Be(sum);
        failover.Current.Repository.Should().Be("repo2");
        failover.Policy.Note().Should().StartWith("Repository repo1 cannot be reached (Connection refused); repo2 answered instead;");

        var alone = Failover(repo1, "ubuntu");
        var describe = () => alone.DescribeAsync("ubuntu", CancellationToken.None);
        (await describe.Should().ThrowAsync<RepositoryException>()).Which.Message.Should()
            .Be("Repository repo1 cannot be reached (Connection refused), and no other repository holds image ubuntu with the same content.");
    }

    [Fact]
    public async Task A_deploy_job_falls_over_to_the_alternate_its_spec_names_at_the_address_that_repository_announced_and_says_so()
    {
        var (image, size, sum) = await PublishUbuntuAsync();
        await using var link = new DyingLink(BaseUrl, Pace);
        // This computer's configuration knows only repo1 (through the dying link); repo2's address comes from the job's alternates.
        var settings = ComputerSettings("pc01", 512) with { RepositoryAddress = name => name == "repo1" ? link.Url : null };
        var runner = Sys.ActorOf(JobRunnerActor.Props(settings), "pc01-jobs");
        var session = CreateTestProbe();

        runner.Tell(new RunJob("s1", "pc01", Spec(SessionKind.DeployImage, "ubuntu", [new RepositoryCopy("repo2", BaseUrl.ToString(), "", sum)]), session.Ref), session.Ref);
        session.ExpectMsg<JobAccepted>();
        session.ExpectMsg<JobStarted>(TimeSpan.FromSeconds(30)).Path.Should().Be("update cache + restore");
        session.FishForMessage<JobProgress>(p => p.Bytes > size / 3, TimeSpan.FromSeconds(60));
        link.Die();
        var finished = session.FishForMessage<JobFinished>(_ => true, TimeSpan.FromSeconds(60));

        finished.Outcome.Should().Be(JobOutcome.Succeeded, finished.Error);
        finished.Reason.Should().Contain("Repository repo1 went away at").And.Contain("finished from repo2, resuming at")
            .And.Contain($"(full sum {sum})");
        finished.Bytes.Should().Be(size);
        finished.Restored!.FullSum.Should().Be(sum);
        Tools.CheckExt4AndReadFiles(settings.Partitions[1], Scratch).Should().BeEquivalentTo(await TestImages.SourceFilesAsync(1));
        session.Reply(new JobFinishedAck("s1", "pc01"));
    }

    private sealed class Inline(Action<TransferProgress> report) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => report(value);
    }
}
