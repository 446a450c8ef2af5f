using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Tests.Fixtures;

namespace OgActors.Imaging.Tests.Inspection;

[Collection(InspectionCollection.Name)]
public sealed class CompressedImageTests(InspectionImages images)
{
    [Theory]
    [InlineData(Compressor.Gzip)]
    [InlineData(Compressor.Lzop)]
    [InlineData(Compressor.Zstd)]
    [InlineData(Compressor.Bzip2)]
    [InlineData(Compressor.Xz)]
    [InlineData(Compressor.Lz4)]
    public void Compressed_partclone_image_is_detected_by_content_and_read_like_the_plain_one(Compressor compressor)
    {
        var plain = ImageInspector.Inspect(images.Ext4Partclone).Single();
        var compressed = images.Ext4PartcloneCompressed(compressor);
        // The name says nothing: a copy named ".img" must give the same answer.
        var renamed = images.Factory.PathOf($"renamed/{compressor}.img");
        File.Copy(compressed, renamed, overwrite: true);

        foreach (var path in new[] { compressed, renamed })
        {
            var info = ImageInspector.Inspect(path).Single();
            info.Compressor.Should().Be(compressor);
            info.OgLine.Should().Be($"PARTCLONE:{compressor.ToString().ToUpperInvariant()}:EXTFS:32768");
            info.Should().BeEquivalentTo(plain, o => o.Excluding(i => i.Compressor).Excluding(i => i.OgLine).Excluding(i => i.StoredSize).Excluding(i => i.Volumes));
            info.StoredSize.Should().Be(new FileInfo(path).Length).And.BeLessThan(plain.StoredSize);
            info.Verified.Should().Contain("bitmap CRC32");
        }
    }

    [Fact]
    public void Pigz_and_concatenated_gzip_members_are_read_as_one_stream()
    {
        var pigz = images.Factory.Compress(images.Ext4Partclone, Compressor.Gzip, "pc/ext4.pigz", pigz: true, "-b", "32");
        ImageInspector.Inspect(pigz).Single().OgLine.Should().Be("PARTCLONE:GZIP:EXTFS:32768");

        // Two gzip members, the first holding only 60 bytes of the header: the reader must cross the member boundary.
        var first = images.Factory.TruncatedCopy(images.Ext4Partclone, 60, "pc/ext4.part1");
        var rest = images.Factory.PathOf("pc/ext4.part2");
        using (var src = File.OpenRead(images.Ext4Partclone)) using (var dst = File.Create(rest)) { src.Position = 60; src.CopyTo(dst); }
        var members = images.Factory.Concatenate("pc/ext4.members.gz",
            images.Factory.Compress(first, Compressor.Gzip), images.Factory.Compress(rest, Compressor.Gzip));
        ImageInspector.Inspect(members).Single().Should().BeEquivalentTo(ImageInspector.Inspect(images.Ext4Partclone).Single(),
            o => o.Excluding(i => i.Compressor).Excluding(i => i.OgLine).Excluding(i => i.StoredSize).Excluding(i => i.Volumes));
    }

    [Fact]
    public void Multi_frame_zstd_and_lzop_are_read_across_frames()
    {
        var first = images.Factory.TruncatedCopy(images.Ext4Partclone, 100, "pc/ext4.f1");
        var rest = images.Factory.PathOf("pc/ext4.f2");
        using (var src = File.OpenRead(images.Ext4Partclone)) using (var dst = File.Create(rest)) { src.Position = 100; src.CopyTo(dst); }
        foreach (var c in new[] { Compressor.Zstd, Compressor.Lzop })
        {
            var joined = images.Factory.Concatenate($"pc/ext4.frames.{c}", images.Factory.Compress(first, c), images.Factory.Compress(rest, c));
            var info = ImageInspector.Inspect(joined).Single();
            info.Compressor.Should().Be(c);
            info.Verified.Should().Contain("bitmap CRC32");
        }
    }

    [Fact]
    public void Inspecting_reads_only_the_head_of_a_large_image()
    {
        // 300 MB of zeros after the image change nothing that is read: inspection stops after the bitmap.
        var padded = images.Factory.PathOf("pc/ext4-padded.pcl.zst");
        ToolRunner.Shell($"{{ cat {ToolRunner.Q(images.Ext4Partclone)}; head -c 300000000 /dev/zero; }} | zstd -q -1 -T2 -c > {ToolRunner.Q(padded)}");
        var info = ImageInspector.Inspect(padded).Single();
        info.Compressor.Should().Be(Compressor.Zstd);
        info.OgLine.Should().Be("PARTCLONE:ZSTD:EXTFS:32768");
    }
}
