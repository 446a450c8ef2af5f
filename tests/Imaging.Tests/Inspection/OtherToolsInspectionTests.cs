using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Tests.Fixtures;

namespace OgActors.Imaging.Tests.Inspection;

[Collection(InspectionCollection.Name)]
public sealed class OtherToolsInspectionTests(InspectionImages images)
{
    [Fact]
    public void Ntfsclone_special_image_plain_and_gzip()
    {
        var info = ImageInspector.Inspect(images.NtfsNtfsclone).Single();
        info.Tool.Should().Be(CloneTool.Ntfsclone);
        info.Filesystem.Should().Be("NTFS");
        info.FormatVersion.Should().StartWith("10.");
        info.DeviceSizeBytes.Should().Be(new FileInfo(images.Ntfs).Length);
        info.OgLine.Should().Be("NTFSCLONE:NONE:NTFS:32768");
        info.BlockSize.Should().Be(InspectionImages.PartcloneInfo(images.NtfsPartclone).BlockSize);
        info.UsedBlocks.Should().BeGreaterThan(0).And.BeLessThan(info.TotalBlocks);

        var gz = images.Factory.Compress(images.NtfsNtfsclone, Compressor.Gzip, "nc/sda1.ntfs-img.gz", options: "--fast");
        ImageInspector.Inspect(gz).Single().Should().BeEquivalentTo(info,
            o => o.Excluding(i => i.Compressor).Excluding(i => i.OgLine).Excluding(i => i.StoredSize).Excluding(i => i.Volumes));
    }

    [Fact]
    public void Partimage_image_made_through_a_loop_device_plain_and_compressed()
    {
        images.LoopDevices.Should().BeTrue("partimage fixtures need loop devices (losetup -f)");
        var info = ImageInspector.Inspect(images.Ext3Partimage!).Single();
        info.Tool.Should().Be(CloneTool.Partimage);
        info.Filesystem.Should().Be("EXT3FS");
        info.FormatVersion.Should().Be("0.6.1");
        info.DeviceSizeBytes.Should().Be(32L << 20);
        info.OgLine.Should().Be("PARTIMAGE:NONE:EXT3FS:32768");
        info.TotalBlocks.Should().Be((32L << 20) / info.BlockSize);
        info.UsedBlocks.Should().BeGreaterThan(0).And.BeLessThan(info.TotalBlocks);
        info.Verified.Should().Contain("main header checksum");

        foreach (var c in new[] { Compressor.Gzip, Compressor.Bzip2, Compressor.Lzop })
        {
            var compressed = ImageInspector.Inspect(images.Factory.Compress(images.Ext3Partimage!, c)).Single();
            compressed.OgLine.Should().Be($"PARTIMAGE:{c.ToString().ToUpperInvariant()}:EXT3FS:32768");
            compressed.UsedBlocks.Should().Be(info.UsedBlocks);
        }
    }

    [Theory]
    [InlineData(1, Compressor.Gzip)]
    [InlineData(2, Compressor.Bzip2)]
    public void Partimage_own_compression_is_found_by_content(int z, Compressor expected)
    {
        images.LoopDevices.Should().BeTrue("partimage fixtures need loop devices (losetup -f)");
        var fs = images.Factory.MakeExt($"fs/ext2-z{z}.img", 16, images.Content, type: "ext2");
        var image = images.Factory.Partimage(fs, $"pi/ext2-z{z}", compression: z);
        var info = ImageInspector.Inspect(image).Single();
        info.Compressor.Should().Be(expected);
        info.OgLine.Should().Be($"PARTIMAGE:{expected.ToString().ToUpperInvariant()}:EXT2FS:16384");
    }

    [Theory]
    [InlineData("ext4", "EXTFS")]
    [InlineData("ntfs", "NTFS")]
    [InlineData("fat32", "FAT32")]
    public void Raw_dd_image_names_the_filesystem_in_its_boot_sector_or_superblock(string which, string fs)
    {
        var source = which switch { "ext4" => images.Ext4, "ntfs" => images.Ntfs, _ => images.Fat32 };
        long size = new FileInfo(source).Length;
        var dd = images.Factory.PathOf($"dd/{which}.dd-img");
        ToolRunner.Run("dd", $"if={source}", $"of={dd}", "bs=1M", "status=none");

        var info = ImageInspector.Inspect(dd).Single();
        info.Tool.Should().Be(CloneTool.Dd);
        info.Filesystem.Should().Be(fs);
        info.DeviceSizeBytes.Should().Be(size);
        info.OgLine.Should().Be($"DD:NONE:{fs}:{size / 1024}");

        // Compressed, the size comes from the filesystem itself.
        var zst = ImageInspector.Inspect(images.Factory.Compress(dd, Compressor.Zstd)).Single();
        zst.OgLine.Should().Be($"DD:ZSTD:{fs}:{size / 1024}");
    }

    [Fact]
    public void Raw_ext4_reports_the_blocks_its_superblock_marks_used()
    {
        var info = ImageInspector.Inspect(images.Ext4).Single();
        var real = InspectionImages.PartcloneInfo(images.Ext4Partclone);
        info.BlockSize.Should().Be(real.BlockSize);
        info.TotalBlocks.Should().Be(real.TotalBlocks);
        info.UsedBlocks.Should().BeCloseTo(real.UsedBlocks, 64, "the superblock's free count and partclone's bitmap agree up to metadata accounting");
    }
}
