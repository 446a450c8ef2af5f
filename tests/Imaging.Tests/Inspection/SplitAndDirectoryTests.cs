using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Tests.Fixtures;
using OgActors.Imaging.Volumes;

namespace OgActors.Imaging.Tests.Inspection;

[Collection(InspectionCollection.Name)]
public sealed class SplitAndDirectoryTests(InspectionImages images)
{
    [Theory]
    [InlineData(SplitSuffix.Numeric, Compressor.Gzip)]
    [InlineData(SplitSuffix.Alphabetic, Compressor.Zstd)]
    [InlineData(SplitSuffix.Alphabetic, Compressor.None)]
    public void Split_set_is_one_stream_in_volume_order(SplitSuffix style, Compressor compressor)
    {
        var whole = images.Ext4PartcloneCompressed(compressor);
        // Volumes smaller than the header + bitmap, so reading the head crosses volume boundaries.
        long size = Math.Max(1500, new FileInfo(whole).Length / 100);
        var volumes = images.Factory.Split(whole, size, style, $"split-{style}-{compressor}/img");
        volumes.Count.Should().BeGreaterThan(3);

        var info = ImageInspector.Inspect(volumes[0]).Single();
        info.Volumes.Should().Equal(volumes);
        info.StoredSize.Should().Be(new FileInfo(whole).Length);
        info.Should().BeEquivalentTo(ImageInspector.Inspect(whole).Single(), o => o.Excluding(i => i.Volumes));

        using var set = VolumeSetStream.Open(volumes[0]);
        using var ms = new MemoryStream();
        set.CopyTo(ms);
        ms.ToArray().Should().Equal(File.ReadAllBytes(whole));
    }

    [Fact]
    public void A_later_volume_is_refused_with_a_pointer_to_the_first()
    {
        var volumes = images.Factory.Split(images.Ext4Partclone, 1 << 20, SplitSuffix.Numeric, "later/img");
        var act = () => ImageInspector.Inspect(volumes[1]);
        act.Should().Throw<ImageFormatException>().WithMessage("*later volume of a split image*first volume*");
    }

    [Fact]
    public void Clonezilla_directory_gives_one_result_per_partition()
    {
        var ntfsGz = images.Factory.Compress(images.NtfsNtfsclone, Compressor.Gzip, "cz-src/ntfs-img.gz");
        var ext4Zst = images.Ext4PartcloneCompressed(Compressor.Zstd);
        var ext4Parts = images.Factory.Split(ext4Zst, 4096, SplitSuffix.Alphabetic, "cz-src/sda1.ext4-ptcl-img.zst");
        var fatLzo = images.Factory.Compress(images.Fat32Partclone, Compressor.Lzop, "cz-src/fat.lzo");
        var ddGz = images.Factory.Compress(images.Fat32, Compressor.Gzip, "cz-src/dd.gz");
        var parts = new List<(string, IReadOnlyList<(string, string)>)>
        {
            ("sda1", ext4Parts.Select(p => (p, "sda1.ext4-ptcl-img.zst" + Path.GetExtension(p))).ToList()),
            ("sda2", [(ntfsGz, "sda2.ntfs-img.gz.aa")]),
            ("sda3", [(fatLzo, "sda3.vfat-ptcl-img.lzo")]),
            ("sda5", [(ddGz, "sda5.dd-img.gz"), (images.Factory.Bytes("cz-src/info", "x"u8.ToArray()), "sda5.dd-img.info")]),
        };
        if (images.LoopDevices) parts.Add(("sda6", [(images.Ext3Partimage!, "sda6.000")]));
        var dir = images.Factory.ClonezillaDirectory("clonezilla/2024-lab", "sda", [.. parts]);

        var infos = ImageInspector.Inspect(dir);
        infos.Select(i => i.PartitionName).Should().Equal(parts.Select(p => p.Item1));
        infos[0].OgLine.Should().Be("PARTCLONE:ZSTD:EXTFS:32768");
        infos[0].Volumes.Should().HaveCount(ext4Parts.Count);
        infos[1].OgLine.Should().Be("NTFSCLONE:GZIP:NTFS:32768");
        infos[2].OgLine.Should().Be("PARTCLONE:LZOP:FAT32:40960");
        infos[3].OgLine.Should().Be("DD:GZIP:FAT32:40960");
        if (images.LoopDevices) infos[4].OgLine.Should().Be("PARTIMAGE:NONE:EXT3FS:32768");
    }

    [Fact]
    public void Fog_directory_gives_one_result_per_partition_split_or_not()
    {
        var p1 = images.Ext4PartcloneCompressed(Compressor.Gzip);
        var p2Parts = images.Factory.Split(images.Factory.Compress(images.NtfsPartclone, Compressor.Zstd, "fog-src/p2.zst"),
            2048, SplitSuffix.Numeric, "fog-src/d1p2.img");
        var files = new List<(string, string)> { (p1, "d1p1.img") };
        files.AddRange(p2Parts.Select(p => (p, "d1p2.img" + Path.GetExtension(p))));
        files.Add((images.Fat12Partclone, "d1p10.img"));
        var dir = images.Factory.FogDirectory("fog/win10", [.. files]);

        var infos = ImageInspector.Inspect(dir);
        infos.Select(i => i.PartitionName).Should().Equal("d1p1", "d1p2", "d1p10");
        infos[0].OgLine.Should().Be("PARTCLONE:GZIP:EXTFS:32768");
        infos[1].OgLine.Should().Be("PARTCLONE:ZSTD:NTFS:32768");
        infos[1].Volumes.Should().HaveCount(p2Parts.Count);
        infos[2].OgLine.Should().Be("PARTCLONE:NONE:FAT12:4096");
    }

    [Fact]
    public void Clonezilla_partition_without_image_file_is_named()
    {
        var dir = images.Factory.ClonezillaDirectory("clonezilla/missing", "sda", ("sda1", [(images.Ext4Partclone, "sda1.ext4-ptcl-img.uncomp")]), ("sda2", []));
        var act = () => ImageInspector.Inspect(dir);
        act.Should().Throw<ImageFormatException>().WithMessage("*lists sda2 but there is no image file for it*");
    }
}
