using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Pipelines;
using static OgActors.Imaging.Tests.Pipelines.FilesystemFixtures;

namespace OgActors.Imaging.Tests.Pipelines;

/// <summary>Restores whose format is learnt from the image head (needs ImageInspector from the inspection work).</summary>
public sealed class InspectedRestoreTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(CloneTool.Partclone, Compressor.Lzop)]
    [InlineData(CloneTool.Partclone, Compressor.Gzip)]
    [InlineData(CloneTool.Ntfsclone, Compressor.Zstd)]
    public async Task The_stream_overload_peeks_the_head_and_restores_the_whole_image(CloneTool tool, Compressor compressor)
    {
        var files = WriteSampleFiles(_folder["src"]).Where(f => !f.Contains('/')).ToList();
        var source = tool == CloneTool.Ntfsclone ? MakeNtfs(_folder["src.part"], _folder["src"], files) : MakeExt4(_folder["src.part"], _folder["src"]);
        var image = _folder["src.img"];
        var captured = await CapturePipeline.CaptureToFileAsync(source, image, new CaptureOptions { Tool = tool, Compressor = compressor });
        var target = MakeEmptyPartition(_folder["target.part"], captured.PartitionBytes);

        RestoreResult restored;
        await using (var stream = File.OpenRead(image))
            restored = await RestorePipeline.RestoreAsync(stream, target);

        restored.Format.Tool.Should().Be(tool);
        restored.Format.Compressor.Should().Be(compressor);
        restored.Format.DeviceSizeBytes.Should().Be(captured.PartitionBytes);
        SameBytes(target, source).Should().BeTrue("the replayed head and the rest make the whole image");
    }

    [Fact]
    public async Task A_split_image_is_restored_from_its_first_volume()
    {
        WriteSampleFiles(_folder["src"]);
        var source = MakeExt4(_folder["src.part"], _folder["src"]);
        var image = _folder["src.img"];
        await CapturePipeline.CaptureToFileAsync(source, image, new CaptureOptions { Compressor = Compressor.Gzip });
        Shell.Run("split", "-b", "1M", "-a", "2", image, image + ".");
        File.Delete(image);
        File.Exists(image + ".ab").Should().BeTrue("the image must span several volumes");
        var target = MakeEmptyPartition(_folder["target.part"], 32 * MiB);

        var restored = await RestorePipeline.RestoreFileAsync(image + ".aa", target);

        restored.Format.Volumes.Count.Should().BeGreaterThan(1);
        SameBytes(target, source).Should().BeTrue();
    }

    [Fact]
    public async Task The_file_overload_refuses_a_too_small_target_from_the_inspected_size()
    {
        WriteSampleFiles(_folder["src"], randomBytes: MiB);
        var source = MakeExt4(_folder["src.part"], _folder["src"]);
        var image = _folder["src.img"];
        await CapturePipeline.CaptureToFileAsync(source, image);
        var target = MakeEmptyPartition(_folder["target.part"], 16 * MiB);

        var act = () => RestorePipeline.RestoreFileAsync(image, target);

        (await act.Should().ThrowAsync<PipelineRefusedException>()).Which.Message.Should().Contain($"needs {32 * MiB} bytes");
        File.ReadAllBytes(target).Should().OnlyContain(b => b == 0);
    }

    [Fact]
    public async Task A_stream_that_is_not_an_image_is_an_image_format_error()
    {
        var target = MakeEmptyPartition(_folder["target.part"], MiB);
        var noise = new byte[2 * MiB];
        new Random(5).NextBytes(noise);

        var act = () => RestorePipeline.RestoreAsync(new MemoryStream(noise), target);

        await act.Should().ThrowAsync<ImageFormatException>();
        File.ReadAllBytes(target).Should().OnlyContain(b => b == 0);
    }
}
