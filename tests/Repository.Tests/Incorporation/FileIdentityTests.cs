using System.Net;
using Akka.Actor;
using OgActors.Messages.Repositories;
using OgActors.Repository.Tests.Support;
using OgActors.RepositoryNode.Catalog;

namespace OgActors.Repository.Tests.Incorporation;

/// <summary>
/// A served file's identity is size, mtime, ctime, device and inode: a rewrite in place that puts size and mtime back
/// (<c>touch -r</c>) is noticed, never served unverified, verified again; a restarted repository trusts its
/// NAME.img.info.json only for the very file it was written for.
/// </summary>
public sealed class FileIdentityTests : RepositoryTestBase
{
    [Fact]
    public async Task A_ready_image_rewritten_in_place_with_size_and_mtime_put_back_is_not_served_and_is_verified_again()
    {
        var image = ArriveByRename(TestImages.Lzop(4), "same");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "same");
        (await Http.GetAsync("/images/same.img")).StatusCode.Should().Be(HttpStatusCode.OK);
        var before = new FileInfo(image);
        var (size, mtime) = (before.Length, before.LastWriteTimeUtc);

        // The rewrite and the mtime put back (utimensat, as touch -r does) within microseconds: before the watcher's
        // event is handled, so the file looks untouched by size and mtime.
        // FileShare.ReadWrite: like dd, the rewrite takes no lock (the server may still hold its last response's handle).
        using (var file = File.Open(image, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            file.Position = file.Length / 2;
            int b = file.ReadByte();
            file.Position = file.Length / 2;
            file.WriteByte((byte)(b ^ 0xFF));
        }
        File.SetLastWriteTimeUtc(image, mtime);
        new FileInfo(image).Length.Should().Be(size);
        new FileInfo(image).LastWriteTimeUtc.Should().Be(mtime, "touch -r put the modification time back");

        (await Http.GetAsync("/images/same.img")).IsSuccessStatusCode.Should().BeFalse("the rewritten file has not been verified");
        var rejected = ExpectFileEvent<ImageFileRejected>(e => e.CanonicalName == "same");
        rejected.Reason.Should().Contain("offset").And.NotContain("\n");
        View.Entries[new ImageKey("", "same")].State.Should().Be(ImageFileState.Error);
        File.Exists(image + ".torrent").Should().BeFalse();
        (await Http.GetAsync("/images/same.img")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_restarted_repository_verifies_again_what_changed_while_it_was_down_and_trusts_the_rest()
    {
        var changed = ArriveByRename(TestImages.Lzop(5), "changed");
        var untouched = ArriveByRename(TestImages.Gzip(5), "untouched");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "changed");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "untouched");
        var untouchedInfo = File.ReadAllText(untouched + ".info.json");
        await StopRepositoryAsync();

        FlipInPlaceKeepingSizeAndMtime(changed);
        StartRepositoryActor("repository-restarted");

        var rejected = ExpectFileEvent<ImageFileRejected>(e => e.CanonicalName == "changed");
        rejected.Reason.Should().Contain("offset");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "untouched");
        File.ReadAllText(untouched + ".info.json").Should().Be(untouchedInfo, "an unchanged file is trusted, not read again");
        (await Http.GetAsync("/images/changed.img")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Http.GetAsync("/images/untouched.img")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_info_sidecar_without_change_time_and_inode_is_not_trusted_after_a_restart()
    {
        var image = ArriveByRename(TestImages.Lzop(6), "older");
        var first = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "older");
        await StopRepositoryAsync();
        // What an earlier version wrote: size and mtime only.
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(image + ".info.json"))!.AsObject();
        json.Remove("changedAt");
        json.Remove("device");
        json.Remove("inode");
        File.WriteAllText(image + ".info.json", json.ToJsonString());
        var recordedAt = json["incorporatedAt"]!.GetValue<DateTimeOffset>();

        StartRepositoryActor("repository-restarted");

        var again = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "older");
        again.FullSum.Should().Be(first.FullSum);
        InfoSidecar.TryRead(image + ".info.json")!.IncorporatedAt.Should().BeAfter(recordedAt, "the file was verified again");
        File.ReadAllText(image + ".info.json").Should().Contain("\"inode\"", "the new sidecar records the whole identity");
    }

    private async Task StopRepositoryAsync()
    {
        var watcher = CreateTestProbe();
        watcher.Watch(Repository);
        Sys.Stop(Repository);
        watcher.ExpectTerminated(Repository, TimeSpan.FromSeconds(10));
        await Task.Delay(100);
    }

    /// <summary>Flips a byte in the middle of the file in place, then puts its mtime back with the real <c>touch -r</c>.</summary>
    private void FlipInPlaceKeepingSizeAndMtime(string image)
    {
        var reference = Path.Combine(Scratch, Path.GetFileName(image) + ".mtime");
        Tool.Run($"touch -r {Tool.Quote(image)} {Tool.Quote(reference)}");
        // FileShare.ReadWrite: like dd, the rewrite takes no lock (the server may still hold its last response's handle).
        using (var file = File.Open(image, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            file.Position = file.Length / 2;
            int b = file.ReadByte();
            file.Position = file.Length / 2;
            file.WriteByte((byte)(b ^ 0xFF));
        }
        Tool.Run($"touch -r {Tool.Quote(reference)} {Tool.Quote(image)}");
    }
}

/// <summary>og.repository.reverify-on-start: what a restart recalls is served at once and verified again in the background.</summary>
public sealed class BackgroundReverificationTests : RepositoryTestBase
{
    protected override OgActors.RepositoryNode.RepositoryActorSettings Settings => base.Settings with { ReverifyOnStart = true };

    [Fact]
    public async Task A_recalled_image_damaged_under_an_unchanged_identity_goes_to_error_after_the_restart()
    {
        var rotted = ArriveByRename(TestImages.Lzop(7), "rotted");
        var sound = ArriveByRename(TestImages.Gzip(7), "sound");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "rotted");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "sound");
        var watcher = CreateTestProbe();
        watcher.Watch(Repository);
        Sys.Stop(Repository);
        watcher.ExpectTerminated(Repository, TimeSpan.FromSeconds(10));

        // Bit rot: the bytes change but the recorded identity is the file's (no user-space write can keep ctime,
        // so the sidecar is brought up to date to stand for a disk that changed the data underneath).
        using (var file = File.Open(rotted, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = file.Length / 2;
            int b = file.ReadByte();
            file.Position = file.Length / 2;
            file.WriteByte((byte)(b ^ 0xFF));
        }
        var now = FileStamp.Of(rotted)!.Value;
        var info = InfoSidecar.TryRead(rotted + ".info.json")!;
        await InfoSidecar.WriteAsync(rotted + ".info.json", info with
        {
            Size = now.Size, ModifiedAt = now.ModifiedAt, ChangedAt = now.ChangedAt, Device = now.Device, Inode = now.Inode,
        }, CancellationToken.None);

        StartRepositoryActor("repository-restarted");

        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "rotted"); // recalled: served at once
        var rejected = ExpectFileEvent<ImageFileRejected>(e => e.CanonicalName == "rotted");
        rejected.Reason.Should().Contain("offset").And.NotContain("\n");
        File.ReadAllText(rotted + ".error").Trim().Should().Be(rejected.Reason);
        File.Exists(rotted + ".torrent").Should().BeFalse();
        (await Http.GetAsync("/images/rotted.img")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "sound");
        await Task.Delay(500);
        View.Entries[new ImageKey("", "sound")].State.Should().Be(ImageFileState.Ready, "an image that verifies again stays ready");
    }
}
