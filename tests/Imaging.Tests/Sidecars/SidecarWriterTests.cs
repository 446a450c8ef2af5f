using System.Text.RegularExpressions;
using OgActors.Imaging.Hashing;
using OgActors.Imaging.Progress;
using OgActors.Imaging.Sidecars;
using OgActors.Imaging.Tests.Pipelines;

namespace OgActors.Imaging.Tests.Sidecars;

/// <summary>Sidecars checked against md5sum, mktorrent and a real BitTorrent client (aria2c -S).</summary>
public sealed class SidecarWriterTests : IDisposable
{
    private const string Announce = "http://127.0.0.1:6969/announce";
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string MakeImage(long size, int seed = 1)
    {
        var path = _folder["pc01-win10.img"];
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData(3L * 4 * 1024 * 1024 + 12345)]  // three whole pieces and a partial one
    [InlineData(2L * 4 * 1024 * 1024)]          // exactly two pieces
    [InlineData(700_000L)]                       // smaller than the 1 MiB tail: .sum equals .full.sum
    public async Task Sums_equal_md5sum_and_the_torrent_matches_what_aria2c_reads(long size)
    {
        var image = MakeImage(size);

        var sidecars = await SidecarWriter.CreateAsync(image, Announce);

        sidecars.Size.Should().Be(size);
        sidecars.Sum.Should().Be(Shell.Bash($"tail -c1M '{image}' | md5sum -b | cut -d' ' -f1").Trim());
        sidecars.FullSum.Should().Be(Shell.Bash($"md5sum -b '{image}' | cut -d' ' -f1").Trim());
        File.ReadAllText(image + ".sum").Should().Be(sidecars.Sum + "\n");
        File.ReadAllText(image + ".full.sum").Should().Be(sidecars.FullSum + "\n");
        File.ReadAllBytes(image + ".torrent").Should().Equal(sidecars.Torrent);
        Directory.GetFiles(_folder.Path).Should().HaveCount(4, "temporary files are renamed away");

        var shown = Shell.Run("aria2c", "-S", image + ".torrent");
        Regex.Match(shown, @"Info Hash: ([0-9a-f]{40})").Groups[1].Value.Should().Be(sidecars.InfoHash);
        shown.Should().Contain("Piece Length: 4.0MiB");
        var pieces = (int)((size + SinglePassHasher.TorrentPieceLength - 1) / SinglePassHasher.TorrentPieceLength);
        shown.Should().Contain($"The Number of Pieces: {pieces}");
        shown.Should().Contain($"Total Length: ").And.Contain($"({size:N0})");
        shown.Should().Contain("Mode: single").And.Contain(Announce).And.Contain("pc01-win10.img");
    }

    [Fact]
    public async Task Info_hash_equals_mktorrents_for_the_same_file()
    {
        var image = MakeImage(9L * 1024 * 1024 + 1);
        var reference = _folder["reference.torrent"];
        Shell.Run("mktorrent", "-l", "22", "-p", "-a", Announce, "-o", reference, image);

        var sidecars = await SidecarWriter.ComputeAsync(image, Announce);

        var theirs = TorrentMetainfo.Parse(File.ReadAllBytes(reference));
        var ours = TorrentMetainfo.Parse(sidecars.Torrent);
        ours.Pieces.Should().Equal(theirs.Pieces);
        ours.Private.Should().BeTrue();
        theirs.Private.Should().BeTrue();
        ours.InfoHash.Should().Be(theirs.InfoHash).And.Be(sidecars.InfoHash);
        ours.Comment.Should().Be(sidecars.FullSum, "OpenGnsys's torrent-creator puts the full MD5 in the comment");
    }

    [Fact]
    public async Task An_empty_image_has_the_md5_of_nothing_and_no_pieces()
    {
        var image = MakeImage(0);

        var sidecars = await SidecarWriter.ComputeAsync(image, Announce);

        sidecars.Sum.Should().Be("d41d8cd98f00b204e9800998ecf8427e");
        sidecars.FullSum.Should().Be("d41d8cd98f00b204e9800998ecf8427e");
        TorrentMetainfo.Parse(sidecars.Torrent).PieceCount.Should().Be(0);
    }

    [Fact]
    public async Task Progress_reaches_the_file_size()
    {
        var image = MakeImage(10L * 1024 * 1024);
        var samples = new List<TransferProgress>();

        await SidecarWriter.ComputeAsync(image, Announce, new SynchronousProgress<TransferProgress>(samples.Add));

        samples.Should().NotBeEmpty();
        samples[^1].Should().Match<TransferProgress>(p => p.Bytes == 10L * 1024 * 1024 && p.TotalBytes == 10L * 1024 * 1024);
    }

    [Fact]
    public async Task Cancellation_stops_hashing_and_writes_nothing()
    {
        var image = MakeImage(64L * 1024 * 1024);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        var act = () => SidecarWriter.CreateAsync(image, Announce, cancellationToken: cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        Directory.GetFiles(_folder.Path).Should().BeEquivalentTo([image]);
    }

    [Fact]
    public async Task A_missing_image_or_a_bad_announce_url_is_one_sentence()
    {
        var missing = () => SidecarWriter.ComputeAsync(_folder["nope.img"], Announce);
        (await missing.Should().ThrowAsync<FileNotFoundException>()).Which.Message.Should().Be($"The image {_folder["nope.img"]} does not exist.");

        var image = MakeImage(10);
        var badUrl = () => SidecarWriter.ComputeAsync(image, "not a url");
        (await badUrl.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().StartWith("The announce URL \"not a url\" is not an absolute URL.");
    }

    [Fact]
    public async Task Existing_sidecars_are_replaced_and_read_back()
    {
        var image = MakeImage(5000);
        File.WriteAllText(image + ".sum", "stale\n");

        var sidecars = await SidecarWriter.CreateAsync(image, Announce);

        SidecarWriter.ReadChecksum(image + ".sum").Should().Be(sidecars.Sum);
        SidecarWriter.ReadChecksum(image + ".full.sum").Should().Be(sidecars.FullSum);
        SidecarWriter.ReadChecksum(_folder["absent.sum"]).Should().BeNull();
    }
}
