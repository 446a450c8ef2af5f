using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Tests.Fixtures;

namespace OgActors.Imaging.Tests.Inspection;

[Collection(InspectionCollection.Name)]
public sealed class PartcloneInspectionTests(InspectionImages images)
{
    [Fact]
    public void Ext4_v2_image_matches_what_partclone_info_reports()
    {
        var info = ImageInspector.Inspect(images.Ext4Partclone).Should().ContainSingle().Subject;
        var real = InspectionImages.PartcloneInfo(images.Ext4Partclone);

        info.Tool.Should().Be(CloneTool.Partclone);
        info.Compressor.Should().Be(Compressor.None);
        info.Filesystem.Should().Be(real.Fs).And.Be("EXTFS");
        info.TotalBlocks.Should().Be(real.TotalBlocks);
        info.UsedBlocks.Should().Be(real.UsedBlocks);
        info.BlockSize.Should().Be(real.BlockSize);
        info.UsedBytes.Should().Be(real.UsedBlocks * real.BlockSize);
        info.DeviceSizeBytes.Should().Be(new FileInfo(images.Ext4).Length);
        info.RequiredSizeKiB.Should().Be(32 * 1024);
        info.OgLine.Should().Be("PARTCLONE:NONE:EXTFS:32768");
        info.FormatVersion.Should().Be("0002");
        info.ToolVersion.Should().StartWith("0.3.");
        info.ChecksumMode.Should().StartWith("CRC32 every ");
        info.BlocksPerChecksum.Should().BeGreaterThan(0);
        info.Verified.Should().Contain(["header CRC32", "bitmap CRC32", "bitmap used-block count"]);
        info.Unverified.Should().BeEmpty();
        info.Volumes.Should().Equal(Path.GetFullPath(images.Ext4Partclone));
        info.StoredSize.Should().Be(new FileInfo(images.Ext4Partclone).Length);
        info.PartitionName.Should().BeNull();
    }

    [Fact]
    public void Image_without_checksums_reports_mode_none()
    {
        var info = ImageInspector.Inspect(images.Ext4PartcloneNoChecksum).Single();
        info.ChecksumMode.Should().Be("NONE");
        info.BlocksPerChecksum.Should().Be(0);
        info.UsedBlocks.Should().Be(InspectionImages.PartcloneInfo(images.Ext4PartcloneNoChecksum).UsedBlocks);
    }

    [Theory]
    [InlineData("ntfs", "NTFS", 32 * 1024)]
    [InlineData("fat32", "FAT32", 40 * 1024)]
    [InlineData("fat16", "FAT16", 20 * 1024)]
    [InlineData("fat12", "FAT12", 4 * 1024)]
    public void Other_filesystems_are_named_as_partclone_names_them(string which, string fs, long kib)
    {
        var image = which switch
        {
            "ntfs" => images.NtfsPartclone,
            "fat32" => images.Fat32Partclone,
            "fat16" => images.Fat16Partclone,
            _ => images.Fat12Partclone,
        };
        var info = ImageInspector.Inspect(image).Single();
        var real = InspectionImages.PartcloneInfo(image);
        info.Filesystem.Should().Be(fs).And.Be(real.Fs);
        info.OgLine.Should().Be($"PARTCLONE:NONE:{fs}:{kib}");
        info.UsedBlocks.Should().Be(real.UsedBlocks);
        info.TotalBlocks.Should().Be(real.TotalBlocks);
        info.BlockSize.Should().Be(real.BlockSize);
    }

    [Fact]
    public void Partclone_imager_images_are_fs_raw()
    {
        var info = ImageInspector.Inspect(images.Fat32Imager).Single();
        info.Tool.Should().Be(CloneTool.Partclone);
        info.Filesystem.Should().Be("RAW", "partclone.imager writes \"raw\", upper-cased as OpenGnsys reports it");
        info.DeviceSizeBytes.Should().Be(40L << 20);
        info.UsedBlocks.Should().Be(info.TotalBlocks);
    }

    [Fact]
    public void Format_v1_image_is_read_with_its_byte_bitmap()
    {
        var v2 = ImageInspector.Inspect(images.Ext4PartcloneNoChecksum).Single();
        var v1 = ImageInspector.Inspect(images.Ext4PartcloneV1).Single();
        v1.FormatVersion.Should().Be("0001");
        v1.Filesystem.Should().Be("EXTFS");
        v1.ToolVersion.Should().BeEmpty("v1 headers do not record the partclone version");
        v1.ChecksumMode.Should().Be("CRC32_0001 every block");
        v1.BlocksPerChecksum.Should().Be(1);
        v1.DeviceSizeBytes.Should().Be(v2.DeviceSizeBytes);
        v1.TotalBlocks.Should().Be(v2.TotalBlocks);
        v1.UsedBlocks.Should().Be(v2.UsedBlocks);
        v1.BlockSize.Should().Be(v2.BlockSize);
        v1.Verified.Should().Contain(["bitmap marker", "bitmap used-block count"]);
        v1.OgLine.Should().Be(v2.OgLine);
    }
}
