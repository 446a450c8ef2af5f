using OgActors.Imaging.Tests.Fixtures;
using OgActors.Imaging.Volumes;

namespace OgActors.Imaging.Tests.Inspection;

/// <summary>Naming rules of split sets, on volumes made by the real `split`.</summary>
public sealed class SplitVolumesTests : IDisposable
{
    private readonly ImageFactory _factory = new("volumes");

    public void Dispose() => _factory.Dispose();

    [Fact]
    public void Alphabetic_suffixes_roll_over_from_az_to_ba()
    {
        var data = new byte[30 * 100];
        new Random(2).NextBytes(data);
        var volumes = _factory.Split(_factory.Bytes("src", data), 100, SplitSuffix.Alphabetic, "set/img");
        volumes.Should().HaveCount(30);
        Path.GetFileName(volumes[26]).Should().Be("img.ba");
        SplitVolumes.Discover(volumes[0]).Should().Equal(volumes);
        using var s = new VolumeSetStream(volumes);
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        ms.ToArray().Should().Equal(data);
    }

    [Fact]
    public void Discovery_stops_at_the_first_missing_volume()
    {
        var volumes = _factory.Split(_factory.Bytes("src2", new byte[1000]), 100, SplitSuffix.Numeric, "gap/img");
        File.Delete(volumes[4]);
        SplitVolumes.Discover(volumes[0]).Should().Equal(volumes.Take(4));
    }

    [Theory]
    [InlineData("image.gz", false)]
    [InlineData("backup.2024", false)]     // no backup.0000 beside it: a plain file, not a later volume
    [InlineData("d1p1.img.001", true)]
    [InlineData("sda1.ext4-ptcl-img.zst.ab", true)]
    public void Later_volumes_are_told_from_plain_names(string name, bool later)
    {
        var dir = _factory.PathOf("names");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "d1p1.img.000"), "x");
        File.WriteAllText(Path.Combine(dir, "sda1.ext4-ptcl-img.zst.aa"), "x");
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, "y");
        SplitVolumes.IsLaterVolume(path).Should().Be(later);
        SplitVolumes.IsFirstVolume(path, out _, out _).Should().BeFalse();
    }
}
