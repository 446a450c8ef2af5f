using OgActors.Imaging.Formats;
using OgActors.Imaging.Pipelines;
using static OgActors.Imaging.Tests.Pipelines.FilesystemFixtures;

namespace OgActors.Imaging.Tests.Pipelines;

/// <summary>partimage (ext3, through loop devices: it refuses regular files), as Clonezilla runs it: -z0 to stdout, compressed outside.</summary>
public sealed class PartimageRoundTripTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Partimage_round_trip_through_loop_devices_restores_an_identical_filesystem()
    {
        var files = WriteSampleFiles(_folder["src"], randomBytes: MiB);
        var source = _folder["ext3.part"];
        using (var file = File.Create(source)) file.SetLength(32 * MiB);
        Shell.Run("mkfs.ext3", "-q", "-F", "-d", _folder["src"], source);
        var target = MakeEmptyPartition(_folder["target.part"], 32 * MiB);
        var image = _folder["ext3.img"];

        using (var sourceDevice = new LoopDevice(source))
        {
            var captured = await CapturePipeline.CaptureToFileAsync(sourceDevice.Path, image, new CaptureOptions { Tool = CloneTool.Partimage, Compressor = Compressor.Gzip });
            captured.PartitionBytes.Should().Be(32 * MiB);
            captured.Filesystem.Should().Be("ext3");
        }
        using (var targetDevice = new LoopDevice(target))
        await using (var stream = File.OpenRead(image))
            await RestorePipeline.RestoreAsync(stream, ImageFormats.Of(CloneTool.Partimage, Compressor.Gzip, "EXT3", 32 * MiB, image), targetDevice.Path);

        Shell.Run("e2fsck", "-fn", target);
        Directory.CreateDirectory(_folder["out"]);
        Shell.Run("debugfs", "-R", $"rdump / {_folder["out"]}", target);
        foreach (var file in files)
            SameBytes(Path.Combine(_folder["out"], file), Path.Combine(_folder["src"], file)).Should().BeTrue($"{file} must come back unchanged");
    }

    [Fact]
    public async Task Partimage_refuses_a_regular_file_before_running()
    {
        WriteSampleFiles(_folder["src"], randomBytes: 1024);
        var source = MakeExt4(_folder["ext4.part"], _folder["src"], sizeMiB: 16);

        var act = () => CapturePipeline.CaptureToFileAsync(source, _folder["x.img"], new CaptureOptions { Tool = CloneTool.Partimage });

        (await act.Should().ThrowAsync<PipelineRefusedException>()).Which.Message.Should().Contain("attach it to a loop device first");
        File.Exists(_folder["x.img"]).Should().BeFalse();
    }
}
