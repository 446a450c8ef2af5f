using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Tests.Fixtures;
using OgActors.Imaging.Tests.Inspection;
using OgActors.Imaging.Verification;

namespace OgActors.Imaging.Tests.Verification;

/// <summary>
/// The structure walks beyond partclone v2 CRC32: partimage to its tail (real partimage images through loop
/// devices), partclone v1 block checksums (judged by the real partclone.chkimg), and partclone v2 checksum modes the
/// installed partclone cannot write (refused, not passed unchecked).
/// </summary>
[Collection(InspectionCollection.Name)]
public sealed class StructureWalkTests(InspectionImages images)
{
    // ---- partimage -------------------------------------------------------------------------------------------------

    private string Partimage => images.Ext3Partimage ?? throw new InvalidOperationException("loop devices are needed to make partimage images (losetup -f)");

    [Fact]
    public void An_intact_partimage_image_verifies_and_a_flipped_byte_in_its_data_blocks_is_found_by_their_CRC()
    {
        ImageVerifier.VerifyFile(Partimage).Tool.Should().Be(CloneTool.Partimage);
        ImageVerifier.VerifyFile(images.Factory.Compress(Partimage, Compressor.Gzip, "pi/ext3.partimg.gz")).Compressor.Should().Be(Compressor.Gzip);
        var flipped = images.Factory.CorruptedCopy(Partimage, new FileInfo(Partimage).Length / 2, "pi/flipped.partimg");
        Fails(flipped).Should().Contain("CRC-32 of partimage data bytes").And.MatchRegex("offset \\d+");
    }

    [Fact]
    public void A_truncated_partimage_image_fails_with_the_offset()
    {
        var cut = images.Factory.TruncatedCopy(Partimage, new FileInfo(Partimage).Length - 20_000, "pi/cut.partimg");
        Fails(cut).Should().Contain("truncated").And.MatchRegex("offset \\d+");
        var noTail = images.Factory.TruncatedCopy(Partimage, new FileInfo(Partimage).Length - 16_384 - 16, "pi/no-tail.partimg");
        Fails(noTail).Should().Contain("truncated");
    }

    [Fact]
    public void Garbage_after_the_partimage_tail_fails()
    {
        var garbage = new byte[5000];
        new Random(9).NextBytes(garbage);
        var longer = images.Factory.Concatenate("pi/longer.partimg", Partimage, images.Factory.Bytes("pi/garbage.bin", garbage));
        Fails(longer).Should().Contain("more bytes after the end of the partimage image");
    }

    [Fact]
    public void A_flipped_byte_in_the_partimage_local_header_or_bitmap_is_named()
    {
        var bytes = File.ReadAllBytes(Partimage);
        int local = bytes.AsSpan().IndexOf("MAGIC-BEGIN-LOCALHEADER"u8) + 23;
        var header = images.Factory.CorruptedCopy(Partimage, local + 100, "pi/local-flipped.partimg");
        Fails(header).Should().Contain("local header checksum");
        int bitmap = bytes.AsSpan().IndexOf("MAGIC-BEGIN-BITMAP"u8) + 18;
        var marks = images.Factory.CorruptedCopy(Partimage, bitmap + 3, "pi/bitmap-flipped.partimg");
        Fails(marks).Should().Contain("bitmap marks");
    }

    // ---- partclone v1 ----------------------------------------------------------------------------------------------

    [Fact]
    public void A_partclone_v1_layout_with_8_byte_checksum_slots_is_refused_as_partclone_chkimg_refuses_it()
    {
        var v1 = PartcloneV1Images.WithChecksums(images.Ext4PartcloneNoChecksum, images.Factory.PathOf("v1/x64.pcl"), eightByteSlots: true);
        var chkimg = () => ToolRunner.Run("partclone.chkimg", "-s", v1, "-L", "/dev/null");
        chkimg.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("CRC error, block_id=1");
        Fails(v1).Should().Contain("partclone v1 checksum of block 1");
    }

    [Fact]
    public void A_partclone_v1_image_verifies_as_partclone_chkimg_says_and_a_damaged_block_or_checksum_fails_as_chkimg_fails()
    {
        var v1 = PartcloneV1Images.WithChecksums(images.Ext4PartcloneNoChecksum, images.Factory.PathOf("v1/base.pcl"));
        ToolRunner.Run("partclone.chkimg", "-s", v1, "-L", "/dev/null").Should().Contain("successfully");
        ImageVerifier.VerifyFile(v1).FormatVersion.Should().Be("0001");
        ImageVerifier.VerifyFile(images.Factory.Compress(v1, Compressor.Lzop, "v1/base.pcl.lzo"));

        long middle = PartcloneV1Images.UsedBlocks(v1) / 2;
        var firstByte = images.Factory.CorruptedCopy(v1, PartcloneV1Images.BlockOffset(v1, middle), "v1/first-byte.pcl");
        var checksum = images.Factory.CorruptedCopy(v1, PartcloneV1Images.BlockOffset(v1, middle + 1) - 2, "v1/checksum.pcl");
        foreach (var damaged in new[] { firstByte, checksum })
        {
            var chkimg = () => ToolRunner.Run("partclone.chkimg", "-s", damaged, "-L", "/dev/null");
            Fails(damaged).Should().Contain($"partclone v1 checksum of block {middle}");
            try { chkimg().Should().NotContain("successfully", "partclone.chkimg refuses it too"); }
            catch (InvalidOperationException) { /* chkimg exited non-zero: refused */ }
        }
    }

    [Fact]
    public void The_v1_zero_checksums_that_partclone_chkimg_rejects_are_rejected()
    {
        var chkimg = () => ToolRunner.Run("partclone.chkimg", "-s", images.Ext4PartcloneV1, "-L", "/dev/null");
        chkimg.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("CRC error, block_id=0");
        Fails(images.Ext4PartcloneV1).Should().Contain("partclone v1 checksum of block 0");
    }

    // ---- partclone v2 checksum modes -------------------------------------------------------------------------------

    [Fact]
    public void A_partclone_v2_image_in_a_checksum_mode_the_installed_partclone_cannot_write_is_refused_with_its_name()
    {
        // What partclone 0.3.23 writes verifies: -a0, -a1 with reseed, -a1 -K (no reseed).
        var noReseed = images.Factory.PathOf("pc/ext4-noreseed.pcl");
        ToolRunner.Run("partclone.extfs", "-c", "-s", images.Ext4, "-O", noReseed, "-L", "/dev/null", "-q", "-f", "0", "-a1", "-k4", "-K");
        ImageInspector.InspectFile(noReseed).ChecksumMode.Should().Contain("no reseed");
        foreach (var written in new[] { images.Ext4PartcloneNoChecksum, images.Ext4Partclone, noReseed }) ImageVerifier.VerifyFile(written);

        var xxh64 = PartcloneV1Images.ClaimingChecksumMode(images.Ext4Partclone, images.Factory.PathOf("pc/ext4-xxh64.pcl"), 0x30);
        ImageInspector.InspectFile(xxh64).ChecksumMode.Should().StartWith("XXH64");
        Fails(xxh64).Should().Contain("checksum mode XXH64 not verifiable");
    }

    private static string Fails(string path)
    {
        var act = () => ImageVerifier.VerifyFile(path);
        var message = act.Should().Throw<ImageFormatException>().Which.Message;
        message.Should().NotContain("\n").And.EndWith(".");
        return message;
    }
}
