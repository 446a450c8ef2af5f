using System.Text.RegularExpressions;
using OgActors.Messages.Repositories;
using OgActors.Repository.Tests.Support;
using OgActors.RepositoryNode.Catalog;

namespace OgActors.Repository.Tests.Incorporation;

/// <summary>Incorporation: OpenGnsys's repository contract (NAME.img, .lock, sidecars) without its cron.</summary>
public sealed class IncorporationTests : RepositoryTestBase
{
    [Fact]
    public void A_file_arriving_by_rename_gets_correct_sidecars_and_is_announced()
    {
        var image = ArriveByRename(TestImages.Lzop(1), "win10");

        var available = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "win10");
        available.Repository.Should().Be("repo-test");
        available.Folder.Should().BeEmpty();
        available.Size.Should().Be(new FileInfo(image).Length);
        available.Info.OgLine.Should().StartWith("PARTCLONE:LZOP:EXTFS:");

        File.ReadAllText(image + ".full.sum").Trim().Should().StartWith(Tool.Md5Sum(image));
        available.FullSum.Should().Be(Tool.Md5Sum(image));
        File.ReadAllText(image + ".sum").Trim().Should().StartWith(Tool.LastMiBMd5Sum(image));
        available.Sum.Should().Be(Tool.LastMiBMd5Sum(image));
        available.Sum.Should().NotBe(available.FullSum, "the image is larger than 1 MiB");

        var torrent = Tool.Run($"aria2c -S {Tool.Quote(image + ".torrent")}");
        Regex.Match(torrent, @"Info Hash: ([0-9a-f]{40})").Groups[1].Value.Should().Be(available.InfoHash);
        torrent.Should().Contain("win10.img");
        File.Exists(image + ".info.json").Should().BeTrue();
        File.Exists(image + ".lock").Should().BeFalse("the lock is removed once the sidecars are written");
        View.Entries[new ImageKey("", "win10")].State.Should().Be(ImageFileState.Ready);
    }

    [Fact]
    public async Task A_file_still_being_copied_under_another_name_is_left_alone()
    {
        var copying = Path.Combine(ImagesDirectory, "ubuntu.img.part");
        File.Copy(TestImages.Lzop(2), copying);
        File.Copy(TestImages.Lzop(2), Path.Combine(ImagesDirectory, ".ubuntu.img.Xy12Ab")); // rsync's temporary name

        await Task.Delay(Settings.RescanInterval * 2 + Settings.SettleTime * 2);

        View.Entries.Should().BeEmpty();
        Directory.GetFiles(ImagesDirectory).Select(Path.GetFileName).Should().BeEquivalentTo(["ubuntu.img.part", ".ubuntu.img.Xy12Ab"]);
        FileEvents.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        File.Move(copying, Path.Combine(ImagesDirectory, "ubuntu.img"));
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "ubuntu");
    }

    [Fact]
    public async Task A_locked_file_is_left_alone_until_its_lock_goes()
    {
        var image = Path.Combine(ImagesDirectory, "capture.img");
        File.WriteAllText(image + ".lock", "");
        File.Copy(TestImages.Lzop(3), image);

        await WaitForStateAsync("capture", ImageFileState.Locked);
        await Task.Delay(Settings.RescanInterval * 2 + Settings.SettleTime * 2);
        View.Entries[new ImageKey("", "capture")].State.Should().Be(ImageFileState.Locked);
        File.Exists(image + ".sum").Should().BeFalse();
        File.Exists(image + ".full.sum").Should().BeFalse();
        File.Exists(image + ".torrent").Should().BeFalse();
        (await Http.GetAsync("/images/capture.img")).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);

        File.Delete(image + ".lock");
        var available = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "capture");
        available.FullSum.Should().Be(Tool.Md5Sum(image));
    }

    [Fact]
    public void Five_images_arriving_at_once_are_all_incorporated()
    {
        var names = Enumerable.Range(1, 5).Select(i => $"lab{i}").ToList();
        Parallel.ForEach(names, (name, _, i) => ArriveByRename(i % 2 == 0 ? TestImages.Lzop(4) : TestImages.Gzip(5), name, i == 4 ? "ou1" : ""));

        var seen = new Dictionary<string, ImageFileAvailable>();
        while (seen.Count < 5)
        {
            var e = ExpectFileEvent<ImageFileAvailable>();
            seen[e.CanonicalName] = e;
        }
        seen.Keys.Should().BeEquivalentTo(names);
        seen["lab5"].Folder.Should().Be("ou1");
        foreach (var (name, e) in seen)
        {
            var path = Path.Combine(ImagesDirectory, e.Folder, name + ".img");
            e.FullSum.Should().Be(Tool.Md5Sum(path));
            File.ReadAllText(path + ".sum").Trim().Should().StartWith(Tool.LastMiBMd5Sum(path));
        }
        seen["lab2"].Info.Compressor.Should().Be("GZIP");
        seen["lab1"].Info.Compressor.Should().Be("LZOP");
    }

    [Fact]
    public void A_changed_file_is_hashed_again_and_its_stale_sidecars_replaced()
    {
        var image = ArriveByRename(TestImages.Lzop(6), "office");
        var first = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "office");
        var firstTorrent = File.ReadAllBytes(image + ".torrent");

        var replacement = Path.Combine(ImagesDirectory, "office.img.new");
        File.Copy(TestImages.Gzip(7), replacement);
        File.Move(replacement, image, overwrite: true);

        var second = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "office" && e.FullSum != first.FullSum);
        second.FullSum.Should().Be(Tool.Md5Sum(image));
        second.Info.Compressor.Should().Be("GZIP");
        File.ReadAllText(image + ".full.sum").Trim().Should().StartWith(second.FullSum);
        File.ReadAllText(image + ".sum").Trim().Should().StartWith(Tool.LastMiBMd5Sum(image));
        File.ReadAllBytes(image + ".torrent").Should().NotEqual(firstTorrent);
        Regex.Match(Tool.Run($"aria2c -S {Tool.Quote(image + ".torrent")}"), @"Info Hash: ([0-9a-f]{40})").Groups[1].Value
            .Should().Be(second.InfoHash);
    }

    [Fact]
    public void An_invalid_file_is_reported_with_an_error_sidecar_and_kept_untouched()
    {
        var junk = Path.Combine(Scratch, "junk");
        File.WriteAllBytes(junk, Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7 % 251)).ToArray());
        var before = Tool.Md5Sum(junk);
        var image = ArriveByRename(junk, "broken");
        var stamp = File.GetLastWriteTimeUtc(image);

        var rejected = ExpectFileEvent<ImageFileRejected>(e => e.CanonicalName == "broken");
        rejected.Reason.Should().NotBeNullOrWhiteSpace();
        rejected.Reason.Should().NotContain("\n");
        File.ReadAllText(image + ".error").Trim().Should().Be(rejected.Reason);
        Tool.Md5Sum(image).Should().Be(before);
        File.GetLastWriteTimeUtc(image).Should().Be(stamp);
        File.Exists(image + ".sum").Should().BeFalse();
        File.Exists(image + ".lock").Should().BeFalse();
        View.Entries[new ImageKey("", "broken")].State.Should().Be(ImageFileState.Error);
    }

    [Fact]
    public void A_deleted_file_is_announced_as_removed()
    {
        var image = ArriveByRename(TestImages.Lzop(1), "gone");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "gone");
        File.Delete(image);
        ExpectFileEvent<ImageFileRemoved>(e => e.CanonicalName == "gone");
        View.Entries.Should().NotContainKey(new ImageKey("", "gone"));
    }
}

/// <summary>A restarted repository trusts its own earlier work (info sidecar for the same size and time) instead of hashing again.</summary>
public sealed class RestartTests : RepositoryTestBase
{
    [Fact]
    public async Task A_restarted_repository_recalls_incorporated_images_without_rewriting_their_sidecars()
    {
        var image = ArriveByRename(TestImages.Lzop(2), "kept");
        var first = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "kept");
        var sidecarTime = File.GetLastWriteTimeUtc(image + ".full.sum");
        await Akka.Actor.GracefulStopSupport.GracefulStop(Repository, TimeSpan.FromSeconds(5));

        StartRepositoryActor("repository-again");

        var again = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "kept");
        again.FullSum.Should().Be(first.FullSum);
        again.InfoHash.Should().Be(first.InfoHash);
        File.GetLastWriteTimeUtc(image + ".full.sum").Should().Be(sidecarTime, "nothing was hashed again");
    }
}

public sealed class UnsafeNameTests : RepositoryTestBase
{
    [Fact]
    public void A_file_whose_name_is_not_a_canonical_name_is_reported_without_being_read()
    {
        var image = Path.Combine(ImagesDirectory, "my image.v2.img");
        File.Copy(TestImages.Lzop(1), image);
        var rejected = ExpectFileEvent<ImageFileRejected>(e => e.CanonicalName == "my image.v2");
        rejected.Reason.Should().Contain("not a valid canonical name");
        File.Exists(image + ".error").Should().BeFalse("the repository writes nothing beside a file it must not read");
        File.Exists(image + ".sum").Should().BeFalse();
    }
}

public sealed class GrowingFileTests : RepositoryTestBase
{
    [Fact]
    public async Task A_file_written_in_place_as_NAME_img_is_hashed_only_as_a_whole()
    {
        var source = await File.ReadAllBytesAsync(TestImages.Lzop(3));
        var image = Path.Combine(ImagesDirectory, "growing.img");
        await using (var output = new FileStream(image, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            var chunk = source.Length / 8 + 1;
            for (var offset = 0; offset < source.Length; offset += chunk)
            {
                await output.WriteAsync(source.AsMemory(offset, Math.Min(chunk, source.Length - offset)));
                await output.FlushAsync();
                await Task.Delay(100); // shorter than the settle time: still growing
            }
        }

        var available = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "growing");
        available.Size.Should().Be(source.Length);
        available.FullSum.Should().Be(Tool.Md5Sum(image));
        File.ReadAllText(image + ".full.sum").Trim().Should().StartWith(available.FullSum);
    }
}
