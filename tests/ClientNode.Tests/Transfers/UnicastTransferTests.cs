using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Tests.Support;
using OgActors.ClientNode.Transfers;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Progress;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Tests.Transfers;

/// <summary>The unicast transfer path against the real repository service: cache update with resume, direct restore, capture upload.</summary>
public sealed class UnicastTransferTests : RepositoryTestBase
{
    private readonly UnicastTransfer _unicast = new();

    private static JobSpec Spec(SessionKind kind, string image) => new(kind, JobRole.Single, image, 1, 1, RepositoryName, TransferMethod.Unicast,
        new MulticastSettings(9000, "239.194.0.1", DuplexMode.Full, 100, 10, 60), new P2PSettings(P2PMode.Peer, 60), "", null);

    [Fact]
    public async Task An_interrupted_cache_update_resumes_where_it_stopped_and_verifies_the_full_sum()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        var size = new FileInfo(image).Length;
        var cache = new ImageCache(Path.Combine(Scratch, "cache"), 1L << 30);

        // First attempt over a slow link, cancelled once about a third has arrived (the computer "dies").
        using (var slow = new HttpClient(new SlowLink(8 << 20)) { Timeout = Timeout.InfiniteTimeSpan })
        {
            var repository = new RepositoryClient(slow, RepositoryName, BaseUrl);
            var facts = await repository.DescribeAsync("ubuntu");
            using var stop = new CancellationTokenSource();
            var progress = new Inline(p => { if (p.Bytes > size / 3) stop.Cancel(); });
            var interrupted = () => _unicast.UpdateCacheAsync(new TransferRequest(Spec(SessionKind.UpdateCache, "ubuntu"), facts, repository), cache, progress, stop.Token);
            await interrupted.Should().ThrowAsync<OperationCanceledException>();
        }
        var partial = cache.PartialBytes("ubuntu");
        partial.Should().BeGreaterThan(size / 3).And.BeLessThan(size);
        cache.Find("ubuntu").Should().BeNull("a partial copy is never taken for an image");
        var facts2 = await Repository.DescribeAsync("ubuntu");
        CachePolicy.Decide(SessionKind.DeployImage, TransferMethod.Unicast, facts2, CacheFacts.Of(cache, facts2))
            .Reason.Should().Contain("partly in the cache");

        // The restart fetches only the rest (Range), then verifies the whole file against the repository's .full.sum.
        var samples = new List<TransferProgress>();
        var result = await _unicast.UpdateCacheAsync(new TransferRequest(Spec(SessionKind.UpdateCache, "ubuntu"), facts2, Repository), cache,
            new Inline(samples.Add), CancellationToken.None);
        result.ResumedFrom.Should().Be(partial);
        result.BytesFetched.Should().Be(size - partial);
        result.Image.FullSum.Should().Be(Tools.Md5(image)).And.Be(facts2.FullSum);
        result.Image.Sum.Should().Be(facts2.Sum);
        Tools.Md5(cache.ImagePath("ubuntu")).Should().Be(Tools.Md5(image));
        File.Exists(cache.PartialPath("ubuntu")).Should().BeFalse();
        samples.Should().NotBeEmpty();
        samples[^1].Bytes.Should().Be(size);
        samples[^1].TotalBytes.Should().Be(size);

        // Now the cached copy is the repository's: the next deploy downloads nothing.
        var again = CachePolicy.Decide(SessionKind.DeployImage, TransferMethod.Unicast, facts2, CacheFacts.Of(cache, facts2));
        again.Path.Should().Be(CachePath.FromCache);
    }

    [Fact]
    public async Task A_partial_copy_of_an_older_version_is_replaced_by_the_whole_new_file()
    {
        var (_, oldImage) = await TestImages.Ext4Async(1);
        var (_, newImage) = await TestImages.Ext4Async(2);
        var cache = new ImageCache(Path.Combine(Scratch, "cache"), 1L << 30);
        // Half of the old version was fetched earlier.
        var oldBytes = await File.ReadAllBytesAsync(oldImage);
        cache.BeginPartial("ubuntu", Tools.Md5(oldImage));
        await File.WriteAllBytesAsync(cache.PartialPath("ubuntu"), oldBytes[..(oldBytes.Length / 2)]);

        await PublishAsync(newImage, "ubuntu");
        var facts = await Repository.DescribeAsync("ubuntu");
        var decision = CachePolicy.Decide(SessionKind.UpdateCache, TransferMethod.Unicast, facts, CacheFacts.Of(cache, facts));
        decision.Reason.Should().Contain("not in the cache", "the partial copy is of another version and is not resumed");
        var result = await _unicast.UpdateCacheAsync(new TransferRequest(Spec(SessionKind.UpdateCache, "ubuntu"), facts, Repository), cache, null, CancellationToken.None);
        result.ResumedFrom.Should().Be(0, "the partial copy was of the old version");
        result.BytesFetched.Should().Be(new FileInfo(newImage).Length);
        Tools.Md5(cache.ImagePath("ubuntu")).Should().Be(Tools.Md5(newImage));
    }

    [Fact]
    public async Task Direct_restore_streams_a_partclone_lzop_ext4_image_onto_a_partition()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        var target = TestImages.TargetPartition(Scratch, "pc02-p1");
        var facts = await Repository.DescribeAsync("ubuntu");

        var samples = new List<TransferProgress>();
        var result = await _unicast.RestoreDirectAsync(new TransferRequest(Spec(SessionKind.Restore, "ubuntu"), facts, Repository), target,
            new Inline(samples.Add), CancellationToken.None);

        result.Format.OgLine.Should().StartWith("PARTCLONE:LZOP:EXTFS:");
        result.ImageBytes.Should().Be(new FileInfo(image).Length);
        Tools.CheckExt4AndReadFiles(target, Scratch).Should().BeEquivalentTo(await TestImages.SourceFilesAsync(1));
        samples.Should().NotBeEmpty();
        Directory.EnumerateFiles(Scratch, "*", SearchOption.AllDirectories).Should().NotContain(f => f.EndsWith(".img"), "nothing is staged on disk");
    }

    [Fact]
    public async Task A_direct_restore_whose_streamed_bytes_are_not_the_full_sum_fails_even_when_the_tools_cannot_notice()
    {
        // A raw image (the ext4 partition itself): neither dd nor any decompressor checks its bytes, only our hash can.
        var (partition, _) = await TestImages.Ext4Async(1);
        await PublishAsync(partition, "rawfs");
        var facts = await Repository.DescribeAsync("rawfs");
        var target = TestImages.TargetPartition(Scratch, "pc03-p1");

        using (var faulty = new HttpClient(new FlippingLink(new FileInfo(partition).Length / 2)) { Timeout = Timeout.InfiniteTimeSpan })
        {
            var repository = new RepositoryClient(faulty, RepositoryName, BaseUrl);
            var restore = () => _unicast.RestoreDirectAsync(new TransferRequest(Spec(SessionKind.Restore, "rawfs"), facts, repository), target, null, CancellationToken.None);
            (await restore.Should().ThrowAsync<StreamedContentException>())
                .Which.Message.Should().Contain("not the image's full sum").And.Contain("content is unknown");
        }

        // Over a sound link the same restore succeeds and reports the sum of what it streamed.
        var sound = await _unicast.RestoreDirectAsync(new TransferRequest(Spec(SessionKind.Restore, "rawfs"), facts, Repository), target, null, CancellationToken.None);
        sound.StreamedFullSum.Should().Be(Tools.Md5(partition));
        Tools.CheckExt4AndReadFiles(target, Scratch).Should().BeEquivalentTo(await TestImages.SourceFilesAsync(1));
    }

    [Fact]
    public async Task A_target_smaller_than_the_image_needs_is_refused_before_anything_is_written()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        var target = TestImages.TargetPartition(Scratch, "small-p1", mib: TestImages.SizeMiB / 2);
        var before = Tools.Md5(target);
        var facts = await Repository.DescribeAsync("ubuntu");

        var restore = () => _unicast.RestoreDirectAsync(new TransferRequest(Spec(SessionKind.Restore, "ubuntu"), facts, Repository), target, null, CancellationToken.None);

        (await restore.Should().ThrowAsync<PipelineRefusedException>())
            .Which.Message.Should().Contain("needs").And.Contain("nothing was written");
        Tools.Md5(target).Should().Be(before);
    }

    [Fact]
    public async Task A_capture_uploaded_to_the_repository_becomes_NAME_img_there()
    {
        var (source, _) = await TestImages.Ext4Async(1);
        var samples = new List<TransferProgress>();

        var result = await CaptureUpload.CaptureAsync(source, "captured", Repository, CapabilityFor("captured"), progress: new Inline(samples.Add));

        var served = await WaitServedAsync("captured");
        served.Info!.OgLine.Should().StartWith("PARTCLONE:LZOP:EXTFS:");
        new FileInfo(Path.Combine(ImagesDirectory, "captured.img")).Length.Should().Be(result.ImageBytes);
        samples.Should().NotBeEmpty();
        // The uploaded image restores to the same files.
        var target = TestImages.TargetPartition(Scratch, "check-p1");
        await RestorePipeline.RestoreFileAsync(Path.Combine(ImagesDirectory, "captured.img"), target);
        Tools.CheckExt4AndReadFiles(target, Scratch).Should().BeEquivalentTo(await TestImages.SourceFilesAsync(1));
    }

    [Fact]
    public async Task A_capture_that_breaks_off_leaves_no_image_in_the_repository()
    {
        var (source, _) = await TestImages.Ext4Async(1);
        // A partition whose filesystem ends half-way (a disk failing under the capture), with the pre-capture check skipped.
        var broken = Path.Combine(Scratch, "broken.ext4");
        await using (var from = File.OpenRead(source))
        await using (var to = File.Create(broken))
        {
            var half = new byte[new FileInfo(source).Length / 2];
            await from.ReadExactlyAsync(half);
            await to.WriteAsync(half);
        }

        var capture = () => CaptureUpload.CaptureAsync(broken, "broken", Repository, CapabilityFor("broken"), new CaptureOptions { Filesystem = "ext4", CheckFilesystem = false });
        await capture.Should().ThrowAsync<Exception>();

        // A capture cancelled in the middle.
        using var stop = new CancellationTokenSource();
        var cancelled = () => CaptureUpload.CaptureAsync(source, "cancelled", Repository, CapabilityFor("cancelled"),
            progress: new Inline(p => { if (p.Bytes > 0) stop.Cancel(); }), cancellationToken: stop.Token);
        await cancelled.Should().ThrowAsync<Exception>();

        await Task.Delay(1500); // let the repository notice anything (settle time + rescan)
        Directory.EnumerateFiles(ImagesDirectory).Should().BeEmpty("a failed capture leaves nothing in the repository");
    }

    [Fact]
    public async Task A_capture_without_its_jobs_capability_is_refused_by_the_repository_and_leaves_nothing()
    {
        var (source, _) = await TestImages.Ext4Async(1);

        var without = () => CaptureUpload.CaptureAsync(source, "captured", Repository, "");
        (await without.Should().ThrowAsync<RepositoryException>()).Which.Message.Should()
            .Contain("refused the upload of captured").And.Contain("needs the capability the coordinator issued");
        var another = () => CaptureUpload.CaptureAsync(source, "captured", Repository, CapabilityFor("other"));
        (await another.Should().ThrowAsync<RepositoryException>()).Which.Message.Should().Contain("is for image other, not captured");

        await Task.Delay(1500);
        Directory.EnumerateFiles(ImagesDirectory).Should().BeEmpty();
    }

    [Fact]
    public async Task A_dirty_filesystem_is_refused_before_the_upload_starts()
    {
        var (source, _) = await TestImages.Ext4Async(1);
        var dirty = Path.Combine(Scratch, "dirty.ext4");
        File.Copy(source, dirty);
        Tools.Run("debugfs", "-w", "-R", "clri readme.txt", dirty); // clears an in-use inode: e2fsck finds errors

        var capture = () => CaptureUpload.CaptureAsync(dirty, "dirty", Repository, CapabilityFor("dirty"));

        (await capture.Should().ThrowAsync<PipelineRefusedException>()).Which.Message.Should().Contain("not clean");
        Directory.EnumerateFiles(ImagesDirectory).Should().BeEmpty();
    }

    /// <summary>An IProgress called on the reporting thread, so a test can react (cancel) at an exact point.</summary>
    private sealed class Inline(Action<TransferProgress> report) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => report(value);
    }
}
