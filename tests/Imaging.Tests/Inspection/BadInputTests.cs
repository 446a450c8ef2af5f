using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Tests.Fixtures;

namespace OgActors.Imaging.Tests.Inspection;

/// <summary>Every kind of bad input gives one sentence saying what is wrong and where — never a guess, never another exception.</summary>
[Collection(InspectionCollection.Name)]
public sealed class BadInputTests(InspectionImages images)
{
    private static string Fails(string path)
    {
        var act = () => ImageInspector.Inspect(path);
        var message = act.Should().Throw<ImageFormatException>().Which.Message;
        message.Should().EndWith(".").And.NotContain("\n").And.NotContain("   at ");
        message.TrimEnd('.').Should().NotContain(". ", "it is one sentence");
        return message;
    }

    [Fact]
    public void Empty_file() =>
        Fails(images.Factory.Bytes("bad/empty.img", [])).Should().Contain("empty.img").And.Contain("empty");

    [Fact]
    public void Random_bytes()
    {
        var random = new byte[256 * 1024];
        new Random(42).NextBytes(random);
        Fails(images.Factory.Bytes("bad/random.img", random)).Should().Contain("random.img").And.Contain("not a recognised image");
    }

    [Fact]
    public void Missing_file_and_non_image_directory()
    {
        Fails(images.Factory.PathOf("bad/nothing-here.img")).Should().Contain("no such file");
        var dir = images.Factory.PathOf("bad/somedir");
        Directory.CreateDirectory(dir);
        Fails(dir).Should().Contain("not an image directory");
    }

    [Fact]
    public void Unreadable_file() =>
        // /proc/self/mem exists but reading its offset 0 fails with an I/O error, even for root.
        Fails("/proc/self/mem").Should().Contain("cannot be read");

    [Fact]
    public void Truncated_uncompressed_image()
    {
        var truncated = images.Factory.TruncatedCopy(images.Ext4Partclone, new FileInfo(images.Ext4Partclone).Length / 2, "bad/half.pcl");
        Fails(truncated).Should().Contain("truncated").And.Contain("half.pcl");
        var inHeader = images.Factory.TruncatedCopy(images.Ext4Partclone, 80, "bad/header.pcl");
        Fails(inHeader).Should().Contain("truncated").And.Contain("partclone v2 header");
    }

    [Theory]
    [InlineData(Compressor.Gzip)]
    [InlineData(Compressor.Lzop)]
    [InlineData(Compressor.Zstd)]
    [InlineData(Compressor.Xz)]
    [InlineData(Compressor.Bzip2)]
    [InlineData(Compressor.Lz4)]
    public void Truncated_compressed_image(Compressor compressor)
    {
        var truncated = images.Factory.TruncatedCopy(images.Ext4PartcloneCompressed(compressor), 200, $"bad/short.{compressor}");
        Fails(truncated).Should().Contain("short.").And.MatchRegex("truncated|does not decode");
    }

    [Fact]
    public void Corrupt_header_crc()
    {
        var bad = images.Factory.CorruptedCopy(images.Ext4Partclone, 70, "bad/hdr.pcl");     // a byte of "used blocks"
        Fails(bad).Should().Contain("header CRC").And.Contain("offset 106").And.Contain("hdr.pcl");

        // The same corruption inside a compressed stream is found after decompression.
        var badLzo = images.Factory.Compress(bad, Compressor.Lzop);
        Fails(badLzo).Should().Contain("header CRC").And.Contain("decompressed stream");
    }

    [Fact]
    public void A_damaged_first_bzip2_block_says_the_stream_does_not_decode()
    {
        // A 900 kB bzip2 block's head can be read before its end, where its CRC is: a damaged block decodes to garbage
        // that is not an image, and the inspection decodes further to say what is really wrong.
        var content = images.Factory.MakeContent("bad/bz-content", seed: 9, randomKiB: 3072);
        var image = images.Factory.Partclone("extfs", images.Factory.MakeExt("bad/bz-ext4.img", 32, content), "bad/bz.pcl");
        var bz = images.Factory.Compress(image, Compressor.Bzip2, "bad/bz.pcl.bz2", false, "-9");
        ImageInspector.Inspect(bz).Single().OgLine.Should().StartWith("PARTCLONE:BZIP2:EXTFS:");
        var damaged = images.Factory.CorruptedCopy(bz, 20_000, "bad/bz-damaged.pcl.bz2");        // early in the first block
        Fails(damaged).Should().Contain("bz-damaged.pcl.bz2").And.Contain("bzip2 stream does not decode");
    }

    [Fact]
    public void Corrupt_bitmap_crc()
    {
        var bad = images.Factory.CorruptedCopy(images.Ext4Partclone, 110 + 100, "bad/bitmap.pcl");
        Fails(bad).Should().Contain("bitmap CRC").And.Contain("bitmap.pcl");
    }

    [Fact]
    public void Corrupt_partimage_main_header()
    {
        images.LoopDevices.Should().BeTrue("partimage fixtures need loop devices");
        var bad = images.Factory.CorruptedCopy(images.Ext3Partimage!, 512 + 5000, "bad/pi.000");
        Fails(bad).Should().Contain("partimage main header checksum");
    }

    [Fact]
    public void Unknown_format_versions()
    {
        var pc = images.Factory.CorruptedCopy(images.Ext4Partclone, 33, "bad/v3.pcl");          // "0002" → "000\xCD"
        Fails(pc).Should().Contain("unknown partclone image format version").And.Contain("offset 30");
        var nc = images.Factory.CorruptedCopy(images.NtfsNtfsclone, 16, "bad/v245.ntfsclone");  // major 10 → 245
        Fails(nc).Should().Contain("unknown ntfsclone image format version 245.");
    }

    [Fact]
    public void Compressed_stream_that_does_not_decode()
    {
        var garbage = new byte[64 * 1024];
        new Random(3).NextBytes(garbage);
        foreach (var (c, magic) in new (Compressor, byte[])[]
                 {
                     (Compressor.Gzip, [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 3]),
                     (Compressor.Zstd, [0x28, 0xB5, 0x2F, 0xFD]),
                     (Compressor.Xz, [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]),
                     (Compressor.Lz4, [0x04, 0x22, 0x4D, 0x18]),
                 })
        {
            var path = images.Factory.Bytes($"bad/garbage.{c}", [.. magic, .. garbage]);
            Fails(path).Should().Contain($"{c.ToString().ToLowerInvariant()} stream").And.MatchRegex("does not decode|truncated");
        }

        // A real lzop file with one byte of compressed data flipped fails the LZO decoder or the block checksum.
        var lzo = images.Factory.Compress(images.Ext4Partclone, Compressor.Lzop, "bad/flip.lzo");
        var flipped = images.Factory.CorruptedCopy(lzo, 200, "bad/flipped.lzo");
        Fails(flipped).Should().Contain("lzop stream does not decode");
    }
}
