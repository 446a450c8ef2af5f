using System.Net;
using OgActors.Messages.Repositories;
using OgActors.Repository.Tests.Support;
using OgActors.RepositoryNode.Catalog;

namespace OgActors.Repository.Tests.Incorporation;

/// <summary>Deep verification at arrival and after a change: damaged files never become ready, never get a torrent, are never served.</summary>
public sealed class VerificationTests : RepositoryTestBase
{
    public static TheoryData<string> Damages => ["truncated", "flipped", "garbage-after-head", "ends-early", "ends-late"];

    [Theory, MemberData(nameof(Damages))]
    public async Task A_damaged_partclone_lzop_image_ends_in_error_with_its_sentence_and_is_not_served(string damage)
    {
        var damaged = Damaged(TestImages.Lzop(1), damage);
        var image = ArriveByRename(damaged, $"bad-{damage}");

        var rejected = ExpectFileEvent<ImageFileRejected>(e => e.CanonicalName == $"bad-{damage}");
        rejected.Reason.Should().Contain("offset").And.NotContain("\n");
        File.ReadAllText(image + ".error").Trim().Should().Be(rejected.Reason);
        File.Exists(image + ".torrent").Should().BeFalse();
        File.Exists(image + ".sum").Should().BeFalse();
        File.Exists(image + ".full.sum").Should().BeFalse();
        View.Entries[new ImageKey("", $"bad-{damage}")].State.Should().Be(ImageFileState.Error);
        (await Http.GetAsync($"/images/bad-{damage}.img")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/images/bad-{damage}.img"))).IsSuccessStatusCode.Should().BeFalse();
        FileEvents.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // never ImageFileAvailable
    }

    [Fact]
    public async Task A_ready_image_truncated_in_place_is_verified_again_and_goes_to_error()
    {
        var image = ArriveByRename(TestImages.Lzop(2), "served");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "served");
        (await Http.GetAsync("/images/served.img")).StatusCode.Should().Be(HttpStatusCode.OK);

        using (var file = File.Open(image, FileMode.Open, FileAccess.ReadWrite)) file.SetLength(file.Length / 2);
        (await Http.GetAsync("/images/served.img")).IsSuccessStatusCode.Should().BeFalse("a changed file is not served before it is verified again");

        var rejected = ExpectFileEvent<ImageFileRejected>(e => e.CanonicalName == "served");
        rejected.Reason.Should().Contain("offset");
        View.Entries[new ImageKey("", "served")].State.Should().Be(ImageFileState.Error);
        File.Exists(image + ".torrent").Should().BeFalse("stale sidecars of the earlier version are removed");
        (await Http.GetAsync("/images/served.img")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_ready_image_zeroed_in_place_is_verified_again_and_goes_to_error()
    {
        var image = ArriveByRename(TestImages.Gzip(3), "zeroed");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "zeroed");

        using (var file = File.Open(image, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = file.Length / 3;
            file.Write(new byte[64 * 1024]);
        }
        var rejected = ExpectFileEvent<ImageFileRejected>(e => e.CanonicalName == "zeroed");
        rejected.Reason.Should().NotContain("\n");
        File.ReadAllText(image + ".error").Trim().Should().Be(rejected.Reason);
        (await Http.GetAsync("/images/zeroed.img")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private string Damaged(string intact, string damage)
    {
        var output = Path.Combine(Scratch, $"{damage}.img.lzo");
        var bytes = File.ReadAllBytes(intact);
        switch (damage)
        {
            case "truncated":
                File.WriteAllBytes(output, bytes[..(bytes.Length * 2 / 3)]);
                break;
            case "flipped":
                bytes[bytes.Length / 2] ^= 0xFF;
                File.WriteAllBytes(output, bytes);
                break;
            case "garbage-after-head":
                var garbage = new byte[bytes.Length];
                new Random(5).NextBytes(garbage);
                bytes.AsSpan(0, bytes.Length / 4).CopyTo(garbage);
                File.WriteAllBytes(output, garbage);
                break;
            case "ends-early":
            case "ends-late":
                var stream = File.ReadAllBytes(TestImages.PartcloneStream(1));
                var changed = damage == "ends-early" ? stream[..(stream.Length - 50_000)] : [.. stream, .. new byte[50_000]];
                var raw = Path.Combine(Scratch, $"{damage}.ptcl");
                File.WriteAllBytes(raw, changed);
                Tool.Run($"lzop -c < {Tool.Quote(raw)} > {Tool.Quote(output)}");
                break;
        }
        return output;
    }
}
