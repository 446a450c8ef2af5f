using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Tests.Fixtures;

namespace OgActors.Imaging.Tests.Inspection;

/// <summary>InspectHead: what the restore pipeline and the repository use on the first bytes of a stream.</summary>
[Collection(InspectionCollection.Name)]
public sealed class InspectHeadTests(InspectionImages images)
{
    [Theory]
    [InlineData(Compressor.None)]
    [InlineData(Compressor.Gzip)]
    [InlineData(Compressor.Lzop)]
    [InlineData(Compressor.Zstd)]
    [InlineData(Compressor.Xz)]
    [InlineData(Compressor.Lz4)]
    [InlineData(Compressor.Bzip2)]
    public void First_MiB_of_a_stream_gives_what_the_whole_file_gives(Compressor compressor)
    {
        var path = images.Ext4PartcloneCompressed(compressor);
        var bytes = File.ReadAllBytes(path);
        var head = bytes.AsSpan(0, Math.Min(bytes.Length, 1 << 20));

        var fromHead = ImageInspector.InspectHead(head, bytes.Length);
        var fromFile = ImageInspector.Inspect(path).Single();
        fromHead.Should().BeEquivalentTo(fromFile, o => o.Excluding(i => i.Volumes));
        fromHead.Volumes.Should().BeEmpty();
    }

    [Fact]
    public void A_head_too_short_for_the_bitmap_reports_it_unverified_not_corrupt()
    {
        var bytes = File.ReadAllBytes(images.Ext4Partclone);
        var info = ImageInspector.InspectHead(bytes.AsSpan(0, 1000), bytes.Length);
        info.OgLine.Should().Be("PARTCLONE:NONE:EXTFS:32768");
        info.Verified.Should().Equal("header CRC32");
        info.Unverified.Should().Contain("bitmap CRC");
    }

    [Fact]
    public void A_head_too_short_for_the_header_says_so()
    {
        var bytes = File.ReadAllBytes(images.Ext4Partclone);
        var act = () => ImageInspector.InspectHead(bytes.AsSpan(0, 50), bytes.Length);
        act.Should().Throw<ImageFormatException>().WithMessage("*head given holds 50 decompressed bytes*partclone v2 header*");
    }

    [Theory]
    [InlineData(Compressor.None)]
    [InlineData(Compressor.Lzop)]
    [InlineData(Compressor.Zstd)]
    public void A_head_of_unknown_total_size_is_read_as_a_prefix(Compressor compressor)
    {
        var bytes = File.ReadAllBytes(images.Ext4PartcloneCompressed(compressor));
        var head = bytes.AsSpan(0, Math.Min(bytes.Length, 1 << 20));
        var info = ImageInspector.InspectHead(head);
        info.OgLine.Should().Be($"PARTCLONE:{compressor.ToString().ToUpperInvariant()}:EXTFS:32768");
        info.Verified.Should().Contain("bitmap CRC32");
    }

    [Fact]
    public void A_head_said_to_be_the_whole_stream_is_checked_as_a_whole()
    {
        var bytes = File.ReadAllBytes(images.Ext4Partclone);
        var act = () => ImageInspector.InspectHead(bytes.AsSpan(0, 1 << 20), 1 << 20);
        act.Should().Throw<ImageFormatException>().WithMessage("*truncated*partclone header announces*");
    }
}
