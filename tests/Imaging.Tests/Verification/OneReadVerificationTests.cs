using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Sidecars;
using OgActors.Imaging.Tests.Inspection;
using OgActors.Imaging.Tests.Fixtures;
using OgActors.Imaging.Verification;

namespace OgActors.Imaging.Tests.Verification;

/// <summary>The sidecars and deep verification from one read of the file (SidecarWriter.ComputeWhileReadingAsync).</summary>
[Collection(InspectionCollection.Name)]
public sealed class OneReadVerificationTests(InspectionImages images)
{
    [Fact]
    public async Task One_read_gives_the_sidecars_of_a_separate_pass_and_the_verifier_sees_every_byte_in_order()
    {
        var image = images.Factory.Compress(images.Ext4Partclone, Compressor.Lzop, "oneread/ext4.pcl.lzo");
        var separate = await SidecarWriter.ComputeAsync(image, "http://127.0.0.1:6969/announce");
        var progress = new List<long>();
        string? seenMd5 = null;
        var info = ImageInspector.InspectFile(image);

        var together = await SidecarWriter.ComputeWhileReadingAsync(image, "http://127.0.0.1:6969/announce", stream =>
        {
            using var md5 = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.MD5);
            var tee = new TeeToHash(stream, md5);
            ImageVerifier.Verify(info, tee, new Sync(p => progress.Add(p.Bytes)));
            seenMd5 = Convert.ToHexStringLower(md5.GetHashAndReset());
        });

        together.FullSum.Should().Be(separate.FullSum).And.Be(ToolRunner.Run("md5sum", image).Split(' ')[0]);
        together.Sum.Should().Be(separate.Sum);
        together.InfoHash.Should().Be(separate.InfoHash);
        seenMd5.Should().Be(separate.FullSum, "the verifier read the whole file, in order");
        progress.Should().EndWith(new FileInfo(image).Length);
    }

    [Fact]
    public async Task A_damaged_file_read_once_fails_with_the_verifiers_sentence_and_no_sidecars()
    {
        var intact = images.Ext4PartcloneCompressed(Compressor.Lzop);
        var flipped = images.Factory.CorruptedCopy(intact, new FileInfo(intact).Length / 2, "oneread/flipped.lzo");
        var info = ImageInspector.InspectFile(flipped);

        var act = () => SidecarWriter.ComputeWhileReadingAsync(flipped, "http://127.0.0.1:6969/announce", stream => ImageVerifier.Verify(info, stream));

        (await act.Should().ThrowAsync<ImageFormatException>()).Which.Message.Should().MatchRegex("offset \\d+").And.NotContain("\n");
        File.Exists(flipped + ".torrent").Should().BeFalse();
    }

    [Fact]
    public async Task A_reader_that_stops_early_leaves_the_digests_whole()
    {
        var image = images.Ext4PartcloneCompressed(Compressor.Gzip);
        var whole = await Hashing.SinglePassHasher.HashFileAsync(image);

        var (digests, first) = await Hashing.SinglePassHasher.HashAndReadAsync(image, stream => stream.ReadByte());

        first.Should().Be(File.ReadAllBytes(image)[0]);
        digests.FullMd5Hex.Should().Be(whole.FullMd5Hex);
        digests.PieceSha1.Should().Equal(whole.PieceSha1);
        digests.TailMd5Hex.Should().Be(whole.TailMd5Hex);
    }

    private sealed class TeeToHash(Stream inner, System.Security.Cryptography.IncrementalHash hash) : Streams.ReadOnlyStream
    {
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            hash.AppendData(buffer[..n]);
            return n;
        }
    }

    private sealed class Sync(Action<Progress.TransferProgress> report) : IProgress<Progress.TransferProgress>
    {
        public void Report(Progress.TransferProgress value) => report(value);
    }
}
