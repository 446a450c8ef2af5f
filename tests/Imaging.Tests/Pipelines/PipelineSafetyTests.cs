using System.Security.Cryptography;
using OgActors.Imaging.Formats;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Processes;
using OgActors.Imaging.Progress;
using static OgActors.Imaging.Tests.Pipelines.FilesystemFixtures;
using OgActors.Imaging.Streams;

namespace OgActors.Imaging.Tests.Pipelines;

/// <summary>Refusals before writing, cancellation without leftovers, and errors that name the tool.</summary>
public sealed class PipelineSafetyTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Restore_onto_a_too_small_target_is_refused_and_writes_nothing()
    {
        WriteSampleFiles(_folder["src"], randomBytes: MiB);
        var source = MakeExt4(_folder["ext4.part"], _folder["src"]);
        var image = _folder["ext4.img"];
        await CapturePipeline.CaptureToFileAsync(source, image);
        var target = _folder["small.part"];
        var pattern = new byte[16 * MiB];
        new Random(7).NextBytes(pattern);
        File.WriteAllBytes(target, pattern);

        var act = async () =>
        {
            await using var stream = File.OpenRead(image);
            await RestorePipeline.RestoreAsync(stream, ImageFormats.Of(CloneTool.Partclone, Compressor.Lzop, "EXTFS", 32 * MiB, image), target);
        };

        (await act.Should().ThrowAsync<PipelineRefusedException>()).Which.Message
            .Should().Contain(target).And.Contain("nothing was written").And.NotContain("\n");
        File.ReadAllBytes(target).Should().Equal(pattern);
    }

    [Fact]
    public async Task Capture_of_a_dirty_ext4_is_refused_and_leaves_no_image()
    {
        WriteSampleFiles(_folder["src"], randomBytes: MiB);
        var source = MakeExt4(_folder["dirty.part"], _folder["src"]);
        Shell.Run("debugfs", "-w", "-R", "ssv state 0", source);
        Shell.Run("debugfs", "-w", "-R", "set_bg 0 free_blocks_count 1", source);
        Shell.Run("debugfs", "-w", "-R", "set_bg 0 checksum calc", source);
        var image = _folder["dirty.img"];

        var act = () => CapturePipeline.CaptureToFileAsync(source, image);

        (await act.Should().ThrowAsync<PipelineRefusedException>()).Which.Message
            .Should().StartWith("The ext4 filesystem on").And.Contain("not clean").And.NotContain("\n");
        Directory.GetFiles(_folder.Path).Should().BeEquivalentTo([source]);
    }

    [Fact]
    public async Task Cancelled_capture_kills_every_tool_and_leaves_no_output()
    {
        WriteSampleFiles(_folder["src"], randomBytes: 40 * MiB);
        var source = MakeExt4(_folder["big.part"], _folder["src"], sizeMiB: 64);
        var image = _folder["big.img"];
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress<TransferProgress>(_ => cancel.Cancel());

        // xz -9 on 40 MiB of noise runs for many seconds: the first progress sample cancels it mid-way.
        var act = () => CapturePipeline.CaptureToFileAsync(source, image, new CaptureOptions { Compressor = Compressor.Xz, CompressionLevel = 9 }, progress, cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        Directory.GetFiles(_folder.Path).Should().BeEquivalentTo([source]);
        RunningProcessesMentioning(_folder.Path).Should().BeEmpty("the whole pipeline must be killed");
    }

    [Fact]
    public async Task Cancelled_restore_kills_the_tools_and_says_the_partition_is_unusable()
    {
        WriteSampleFiles(_folder["src"], randomBytes: 40 * MiB);
        var source = MakeExt4(_folder["big.part"], _folder["src"], sizeMiB: 64);
        var image = _folder["big.img"];
        await CapturePipeline.CaptureToFileAsync(source, image, new CaptureOptions { Compressor = Compressor.None });
        var target = MakeEmptyPartition(_folder["target.part"], 64 * MiB);
        using var cancel = new CancellationTokenSource();
        await using var stream = new ThrottledStream(File.OpenRead(image));

        var restore = RestorePipeline.RestoreAsync(stream, ImageFormats.Of(CloneTool.Partclone, Compressor.None, "EXTFS", 64 * MiB, image), target,
            new SynchronousProgress<TransferProgress>(p => { if (p.Bytes > 0) cancel.Cancel(); }), cancel.Token);

        Func<Task> act = () => restore;
        (await act.Should().ThrowAsync<OperationCanceledException>()).Which.Message.Should().Contain("left unusable");
        RunningProcessesMentioning(_folder.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task A_corrupt_image_fails_with_one_sentence_naming_the_decompressor()
    {
        var image = _folder["garbage.img"];
        var garbage = new byte[3 * MiB];
        new Random(3).NextBytes(garbage);
        garbage[0] = 0x89; garbage[1] = (byte)'L'; garbage[2] = (byte)'Z'; garbage[3] = (byte)'O';
        File.WriteAllBytes(image, garbage);
        var target = MakeEmptyPartition(_folder["target.part"], 32 * MiB);

        var act = async () =>
        {
            await using var stream = File.OpenRead(image);
            await RestorePipeline.RestoreAsync(stream, ImageFormats.Of(CloneTool.Partclone, Compressor.Lzop, "EXTFS", 32 * MiB, image), target);
        };

        var failure = (await act.Should().ThrowAsync<ToolFailedException>()).Which;
        failure.Tool.Should().Be("lzop");
        failure.Message.Should().StartWith("The image does not decompress with lzop (it is truncated or corrupt: lzop:")
            .And.EndWith("the partition may be unusable.").And.NotContain("\n");
    }

    [Fact]
    public async Task A_partition_without_a_filesystem_is_refused_for_partclone()
    {
        var blank = MakeEmptyPartition(_folder["blank.part"], 8 * MiB);

        var act = () => CapturePipeline.CaptureToFileAsync(blank, _folder["blank.img"]);

        (await act.Should().ThrowAsync<PipelineRefusedException>()).Which.Message.Should().Be($"No filesystem was found on {blank}; capture it with dd.");
        File.Exists(_folder["blank.img"]).Should().BeFalse();
    }

    [Fact]
    public async Task Capture_progress_reaches_the_bytes_in_use()
    {
        WriteSampleFiles(_folder["src"], randomBytes: 8 * MiB);
        var source = MakeExt4(_folder["ext4.part"], _folder["src"]);
        var samples = new List<TransferProgress>();

        await CapturePipeline.CaptureToFileAsync(source, _folder["ext4.img"], new CaptureOptions { Compressor = Compressor.Gzip },
            new SynchronousProgress<TransferProgress>(samples.Add));

        samples.Should().NotBeEmpty();
        samples[^1].Percent.Should().Be(100);
        samples[^1].Bytes.Should().BeGreaterThan(8 * MiB, "partclone read at least the data blocks");
        samples.Select(s => s.Bytes).Should().BeInAscendingOrder();
    }

    [Fact]
    public async Task Tool_pipeline_blames_the_stage_that_failed()
    {
        var act = () => ToolPipeline.RunAsync([new ToolCommand("cat", "/nonexistent/og"), new ToolCommand("gzip", "-c")], null, Stream.Null);

        var failure = (await act.Should().ThrowAsync<ToolFailedException>()).Which;
        failure.Tool.Should().Be("cat");
        failure.Message.Should().Be("cat failed with exit code 1: cat: /nonexistent/og: No such file or directory.");
    }

    [Fact]
    public async Task Missing_tools_are_named()
    {
        var act = () => ToolPipeline.RunAsync([new ToolCommand("og-no-such-tool")], null, null);

        (await act.Should().ThrowAsync<ToolFailedException>()).Which.Message.Should().Be("og-no-such-tool is not installed (it is not on PATH).");
    }

    private static List<string> RunningProcessesMentioning(string text)
    {
        Thread.Sleep(200);
        var found = new List<string>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(text, StringComparison.Ordinal)) found.Add(commandLine);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    /// <summary>Reads slowly, so a restore is still running when the test cancels it.</summary>
    private sealed class ThrottledStream(Stream inner) : ReadOnlyStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(50, cancellationToken);
            return await inner.ReadAsync(buffer[..Math.Min(buffer.Length, 256 * 1024)], cancellationToken);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }
}
