using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Tests.Fixtures;
using OgActors.Imaging.Tests.Inspection;
using OgActors.Imaging.Verification;

namespace OgActors.Imaging.Tests.Verification;

/// <summary>Deep verification of whole images made by the real tools, intact and damaged in the four ways an arrival can be.</summary>
[Collection(InspectionCollection.Name)]
public sealed class ImageVerifierTests(InspectionImages images)
{
    public static TheoryData<Compressor> Compressors => [Compressor.None, Compressor.Lzop, Compressor.Gzip, Compressor.Zstd, Compressor.Bzip2, Compressor.Xz, Compressor.Lz4];
    public static TheoryData<Compressor> Damageable => [Compressor.Lzop, Compressor.Gzip, Compressor.Zstd];

    [Theory, MemberData(nameof(Compressors))]
    public void An_intact_partclone_image_verifies_with_every_compressor(Compressor compressor)
    {
        var progress = new List<long>();
        var info = ImageVerifier.VerifyFile(images.Ext4PartcloneCompressed(compressor), new SyncProgress(p => progress.Add(p.Bytes)));
        info.Tool.Should().Be(CloneTool.Partclone);
        progress.Should().NotBeEmpty().And.EndWith(new FileInfo(images.Ext4PartcloneCompressed(compressor)).Length);
    }

    [Fact]
    public void Intact_images_of_every_tool_verify()
    {
        foreach (var image in new[] { images.Ext4PartcloneNoChecksum, images.NtfsPartclone, images.NtfsNtfsclone, images.Fat32Partclone,
                     images.Fat16Partclone, images.Fat32Imager, PartcloneV1Images.WithChecksums(images.Ext4PartcloneNoChecksum, images.Factory.PathOf("pc/ext4-v1-crc.pcl")), images.Ext4,
                     images.Factory.Compress(images.Ext4, Compressor.Lzop, "raw/ext4.img.lzo"),
                     images.Factory.Compress(images.NtfsNtfsclone, Compressor.Gzip, "nc/ntfs.ntfsclone.gz") })
            ImageVerifier.VerifyFile(image);
        if (images.Ext3Partimage is { } partimage) ImageVerifier.VerifyFile(partimage).Tool.Should().Be(CloneTool.Partimage);
    }

    [Fact]
    public void Partclone_blocks_checked_every_few_blocks_verify_and_a_flipped_data_byte_is_named()
    {
        var every4 = images.Factory.Partclone("extfs", images.Ext4, "pc/ext4-k4.pcl", blocksPerChecksum: 4);
        ImageVerifier.VerifyFile(every4);
        var split = images.Factory.Split(images.Factory.Compress(every4, Compressor.Lzop), 300_000, SplitSuffix.Numeric, "split/ext4-k4");
        ImageVerifier.VerifyFile(split[0]).Volumes.Should().HaveCount(split.Count);
        var stream = File.ReadAllBytes(every4);
        var flipped = images.Factory.CorruptedCopy(every4, stream.Length / 2, "damaged/ext4-k4-flipped.pcl");
        Fails(flipped).Should().Contain("CRC32 of partclone blocks");
    }

    [Theory, MemberData(nameof(Damageable))]
    public void A_truncated_file_fails(Compressor compressor)
    {
        var intact = images.Ext4PartcloneCompressed(compressor);
        var cut = images.Factory.TruncatedCopy(intact, new FileInfo(intact).Length * 2 / 3, $"damaged/cut.{compressor}");
        Fails(cut).Should().MatchRegex("offset \\d+");
    }

    [Theory, MemberData(nameof(Damageable))]
    public void A_flipped_byte_in_the_middle_fails(Compressor compressor)
    {
        var intact = images.Ext4PartcloneCompressed(compressor);
        var flipped = images.Factory.CorruptedCopy(intact, new FileInfo(intact).Length / 2, $"damaged/flip.{compressor}");
        Fails(flipped).Should().MatchRegex("offset \\d+");
    }

    [Theory, MemberData(nameof(Damageable))]
    public void A_valid_head_followed_by_garbage_fails(Compressor compressor)
    {
        var intact = File.ReadAllBytes(images.Ext4PartcloneCompressed(compressor));
        var garbage = new byte[intact.Length];
        new Random(3).NextBytes(garbage);
        intact.AsSpan(0, intact.Length / 4).CopyTo(garbage);
        ImageInspector.InspectFile(images.Factory.Bytes($"damaged/garbage-head.{compressor}", garbage)); // the head alone still looks fine
        Fails(images.Factory.PathOf($"damaged/garbage-head.{compressor}")).Should().MatchRegex("offset \\d+");
    }

    [Theory, MemberData(nameof(Damageable))]
    public void A_decompressor_stream_that_ends_early_fails(Compressor compressor)
    {
        var stream = images.Ext4Partclone;
        var shorter = images.Factory.TruncatedCopy(stream, new FileInfo(stream).Length - 70_000, $"damaged/short-{compressor}.pcl");
        var image = images.Factory.Compress(shorter, compressor);
        Fails(image).Should().Contain("truncated");
    }

    [Theory, MemberData(nameof(Damageable))]
    public void A_decompressor_stream_that_ends_late_fails(Compressor compressor)
    {
        var longer = images.Factory.Concatenate($"damaged/long-{compressor}.pcl", images.Ext4Partclone, images.Fat12Partclone);
        var image = images.Factory.Compress(longer, compressor);
        Fails(image).Should().Contain("more bytes after the end");
    }

    private static string Fails(string path)
    {
        var act = () => ImageVerifier.VerifyFile(path);
        var message = act.Should().Throw<ImageFormatException>().Which.Message;
        message.Should().NotContain("\n").And.EndWith(".");
        return message;
    }

    private sealed class SyncProgress(Action<Progress.TransferProgress> report) : IProgress<Progress.TransferProgress>
    {
        public void Report(Progress.TransferProgress value) => report(value);
    }
}
