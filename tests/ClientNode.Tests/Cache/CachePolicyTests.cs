using OgActors.ClientNode.Cache;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Tests.Cache;

/// <summary>The cache decision table, case by case (a pure function: no files, no network).</summary>
public sealed class CachePolicyTests
{
    private const long MiB = 1 << 20;
    private static readonly RepositoryImageFacts Repo = new("win10", 300 * MiB, "aaaa1111aaaa1111aaaa1111aaaa1111", "ffff0000ffff0000ffff0000ffff0000");

    private static CachedImage Cached(string sum, string fullSum, long size = 300 * MiB) => new("win10", "/cache/win10.img", size, sum, fullSum);

    private static CacheDecision Decide(CacheFacts? cache, SessionKind kind = SessionKind.DeployImage, TransferMethod method = TransferMethod.Unicast) =>
        CachePolicy.Decide(kind, method, Repo, cache);

    [Fact]
    public void Identical_cached_copy_by_full_sum_restores_from_the_cache_without_download()
    {
        var decision = Decide(new CacheFacts(1024 * MiB, 10 * MiB, Cached("x", Repo.FullSum), 0));
        decision.Path.Should().Be(CachePath.FromCache);
        decision.Downloads.Should().BeFalse();
        decision.Reason.Should().Contain("identical").And.Contain(".full.sum " + Repo.FullSum);
    }

    [Theory]
    [InlineData(TransferMethod.Unicast)]
    [InlineData(TransferMethod.Torrent)]
    public void A_new_revision_with_the_same_size_and_last_MiB_is_downloaded_not_taken_from_the_cache(TransferMethod method)
    {
        // Same size, same last MiB (.sum), other content elsewhere: the full sum (the repository's revision) decides.
        var cache = new CacheFacts(1024 * MiB, 900 * MiB, Cached(Repo.Sum, "0123456789abcdef0123456789abcdef"), 0);
        var decision = Decide(cache, method: method);
        decision.Path.Should().Be(CachePath.UpdateCacheThenRestore);
        decision.Reason.Should().Contain(".full.sum").And.Contain("differs");
        Decide(cache, SessionKind.UpdateCache, method).Path.Should().Be(CachePath.UpdateCacheOnly);
    }

    [Fact]
    public void Same_name_different_content_updates_the_cache_then_restores()
    {
        var decision = Decide(new CacheFacts(1024 * MiB, 700 * MiB, Cached("bbbb2222bbbb2222bbbb2222bbbb2222", "c"), 0));
        decision.Path.Should().Be(CachePath.UpdateCacheThenRestore);
        decision.Reason.Should().Contain("differs").And.Contain("replaced");
    }

    [Fact]
    public void Not_cached_and_fitting_updates_the_cache_then_restores()
    {
        var decision = Decide(new CacheFacts(1024 * MiB, 1000 * MiB, null, 0));
        decision.Path.Should().Be(CachePath.UpdateCacheThenRestore);
        decision.Reason.Should().Contain("not in the cache");
    }

    [Fact]
    public void A_partial_copy_resumes()
    {
        var decision = Decide(new CacheFacts(1024 * MiB, 500 * MiB, null, 120 * MiB));
        decision.Path.Should().Be(CachePath.UpdateCacheThenRestore);
        decision.Reason.Should().Contain("partly in the cache").And.Contain("120 MiB");
    }

    [Fact]
    public void Larger_than_the_whole_cache_goes_direct_by_unicast()
    {
        var decision = Decide(new CacheFacts(200 * MiB, 200 * MiB, null, 0));
        decision.Path.Should().Be(CachePath.DirectUnicast);
        decision.Reason.Should().Contain("larger than the whole cache").And.Contain("200 MiB").And.Contain("directly");
    }

    [Fact]
    public void Larger_than_the_free_space_goes_direct_by_unicast()
    {
        var decision = Decide(new CacheFacts(1024 * MiB, 100 * MiB, null, 0));
        decision.Path.Should().Be(CachePath.DirectUnicast);
        decision.Reason.Should().Contain("larger than the free space").And.Contain("100 MiB");
    }

    [Fact]
    public void Space_of_the_stale_copy_and_of_a_partial_copy_counts_as_free()
    {
        // 100 MiB free + a 250 MiB stale copy that will be replaced = 350 MiB ≥ 300 MiB.
        Decide(new CacheFacts(1024 * MiB, 100 * MiB, Cached("old", "old", 250 * MiB), 0)).Path.Should().Be(CachePath.UpdateCacheThenRestore);
        // 100 MiB free + 200 MiB already fetched = the 300 MiB needed.
        Decide(new CacheFacts(1024 * MiB, 100 * MiB, null, 200 * MiB)).Path.Should().Be(CachePath.UpdateCacheThenRestore);
        // One byte short.
        Decide(new CacheFacts(1024 * MiB, 100 * MiB - 1, null, 200 * MiB)).Path.Should().Be(CachePath.DirectUnicast);
    }

    [Fact]
    public void A_partial_copy_of_another_version_is_not_resumed_but_its_space_counts()
    {
        var decision = Decide(new CacheFacts(1024 * MiB, 100 * MiB, null, 0, StalePartialBytes: 200 * MiB));
        decision.Path.Should().Be(CachePath.UpdateCacheThenRestore);
        decision.Reason.Should().Contain("not in the cache");
    }

    [Fact]
    public void An_identical_copy_needs_no_space()
    {
        Decide(new CacheFacts(1024 * MiB, 0, Cached(Repo.Sum, Repo.FullSum), 0)).Path.Should().Be(CachePath.FromCache);
    }

    [Fact]
    public void A_copy_of_another_size_is_not_identical_even_with_the_same_tail()
    {
        Decide(new CacheFacts(1024 * MiB, 900 * MiB, Cached(Repo.Sum, Repo.FullSum, 299 * MiB), 0)).Path.Should().Be(CachePath.UpdateCacheThenRestore);
    }

    [Fact]
    public void No_cache_goes_direct()
    {
        Decide(null).Should().Be(new CacheDecision(CachePath.DirectUnicast, "This computer has no cache; restoring directly from the repository by unicast."));
        Decide(new CacheFacts(0, 0, null, 0)).Path.Should().Be(CachePath.DirectUnicast);
        Decide(null, SessionKind.Restore).Path.Should().Be(CachePath.DirectUnicast);
    }

    [Fact]
    public void Restore_takes_the_same_paths_as_deploy()
    {
        Decide(new CacheFacts(1024 * MiB, 10 * MiB, Cached(Repo.Sum, Repo.FullSum), 0), SessionKind.Restore).Path.Should().Be(CachePath.FromCache);
        Decide(new CacheFacts(1024 * MiB, 1000 * MiB, null, 0), SessionKind.Restore).Path.Should().Be(CachePath.UpdateCacheThenRestore);
    }

    [Fact]
    public void Update_cache_mode_only_fetches_and_never_goes_direct()
    {
        Decide(new CacheFacts(1024 * MiB, 10 * MiB, Cached(Repo.Sum, Repo.FullSum), 0), SessionKind.UpdateCache).Path.Should().Be(CachePath.AlreadyCached);
        Decide(new CacheFacts(1024 * MiB, 1000 * MiB, Cached("old", "old"), 0), SessionKind.UpdateCache).Path.Should().Be(CachePath.UpdateCacheOnly);
        Decide(new CacheFacts(1024 * MiB, 1000 * MiB, null, 0), SessionKind.UpdateCache).Path.Should().Be(CachePath.UpdateCacheOnly);
        var tooBig = Decide(new CacheFacts(200 * MiB, 200 * MiB, null, 0), SessionKind.UpdateCache);
        tooBig.Path.Should().Be(CachePath.Refused);
        tooBig.Reason.Should().Contain("cannot be updated");
        Decide(null, SessionKind.UpdateCache).Path.Should().Be(CachePath.Refused);
    }

    [Fact]
    public void Create_image_is_not_a_cache_decision()
    {
        var act = () => CachePolicy.Decide(SessionKind.CreateImage, TransferMethod.Unicast, Repo, null);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Every_path_has_a_name_for_the_session_table()
    {
        foreach (var path in Enum.GetValues<CachePath>())
            new CacheDecision(path, "r").PathName.Should().NotBeNullOrWhiteSpace().And.NotBe(path.ToString());
    }
}
