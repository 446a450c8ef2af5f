using OgActors.Imaging.Formats;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Progress;
using static OgActors.Imaging.Tests.Pipelines.FilesystemFixtures;

namespace OgActors.Imaging.Tests.Pipelines;

/// <summary>The other pair of ends: capture into any Stream, restore straight from a file.</summary>
public sealed class StreamAndFileEndsTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Capture_into_a_stream_then_restore_from_the_file_round_trips()
    {
        WriteSampleFiles(_folder["src"]);
        var source = MakeExt4(_folder["ext4.part"], _folder["src"]);
        var image = _folder["ext4.img"];
        CaptureResult captured;
        await using (var stream = new FileStream(image, FileMode.CreateNew))
            captured = await CapturePipeline.CaptureAsync(source, stream, new CaptureOptions { Compressor = Compressor.Zstd });
        captured.ImageBytes.Should().Be(new FileInfo(image).Length);
        var target = MakeEmptyPartition(_folder["target.part"], captured.PartitionBytes);
        var samples = new List<TransferProgress>();

        var restored = await RestorePipeline.RestoreFileAsync(image, ImageFormats.Of(CloneTool.Partclone, Compressor.Zstd, "EXTFS", captured.PartitionBytes, image),
            target, new SynchronousProgress<TransferProgress>(samples.Add));

        restored.ImageBytes.Should().Be(captured.ImageBytes);
        samples[^1].Percent.Should().Be(100);
        Shell.Run("e2fsck", "-fn", target);
        SameBytes(target, source).Should().BeTrue();
    }

    [Fact]
    public async Task Restore_from_a_missing_file_is_refused()
    {
        var target = MakeEmptyPartition(_folder["target.part"], MiB);

        var act = () => RestorePipeline.RestoreFileAsync(_folder["missing.img"], ImageFormats.Of(CloneTool.Dd, Compressor.None, "", 0, target), target);

        (await act.Should().ThrowAsync<PipelineRefusedException>()).Which.Message.Should().Be($"The image {_folder["missing.img"]} does not exist.");
    }

    [Fact]
    public async Task A_raw_image_larger_than_the_target_is_refused()
    {
        var image = MakeEmptyPartition(_folder["raw.img"], 4 * MiB);
        var target = MakeEmptyPartition(_folder["target.part"], 3 * MiB);

        var act = () => RestorePipeline.RestoreFileAsync(image, ImageFormats.Of(CloneTool.Dd, Compressor.None, "", 0, image), target);

        (await act.Should().ThrowAsync<PipelineRefusedException>()).Which.Message.Should().Contain("needs 4194304 bytes");
        new FileInfo(target).Length.Should().Be(3 * MiB);
    }
}
