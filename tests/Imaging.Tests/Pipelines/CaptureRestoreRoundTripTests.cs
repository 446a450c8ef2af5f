using OgActors.Imaging.Formats;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Progress;
using static OgActors.Imaging.Tests.Pipelines.FilesystemFixtures;

namespace OgActors.Imaging.Tests.Pipelines;

/// <summary>Capture with the real tools, restore onto a blank partition file, then fsck it and compare its files with the source.</summary>
public sealed class CaptureRestoreRoundTripTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(Compressor.Lzop)]
    [InlineData(Compressor.Gzip)]
    [InlineData(Compressor.Zstd)]
    [InlineData(Compressor.Bzip2)]
    [InlineData(Compressor.Xz)]
    [InlineData(Compressor.Lz4)]
    [InlineData(Compressor.None)]
    public async Task Partclone_ext4_round_trip_restores_a_clean_filesystem_with_the_same_files(Compressor compressor)
    {
        var files = WriteSampleFiles(_folder["src"]);
        var source = MakeExt4(_folder["ext4.part"], _folder["src"]);
        var image = _folder["ext4.img"];

        var captured = await CapturePipeline.CaptureToFileAsync(source, image, new CaptureOptions { Compressor = compressor });

        captured.Filesystem.Should().Be("ext4");
        captured.ImageBytes.Should().Be(new FileInfo(image).Length).And.BeGreaterThan(3 * MiB / 2);
        var target = MakeEmptyPartition(_folder["target.part"], captured.PartitionBytes);
        await using (var stream = File.OpenRead(image))
            await RestorePipeline.RestoreAsync(stream, ImageFormats.Of(CloneTool.Partclone, compressor, "EXTFS", captured.PartitionBytes, image), target);

        Shell.Run("e2fsck", "-fn", target).Should().Contain(" files ");
        Directory.CreateDirectory(_folder["out"]);
        Shell.Run("debugfs", "-R", $"rdump / {_folder["out"]}", target);
        foreach (var file in files)
            SameBytes(Path.Combine(_folder["out"], file), Path.Combine(_folder["src"], file)).Should().BeTrue($"{file} must come back unchanged");
        SameBytes(target, source).Should().BeTrue("partclone restores every used block where it was");
    }

    [Theory]
    [InlineData(Compressor.Gzip)]
    [InlineData(Compressor.Lzop)]
    [InlineData(Compressor.Zstd)]
    public async Task Ntfsclone_round_trip_restores_a_clean_ntfs_with_the_same_files(Compressor compressor)
    {
        var files = WriteSampleFiles(_folder["src"]).Where(f => !f.Contains('/')).ToList();
        var source = MakeNtfs(_folder["ntfs.part"], _folder["src"], files);
        var image = _folder["ntfs.img"];

        var captured = await CapturePipeline.CaptureToFileAsync(source, image, new CaptureOptions { Tool = CloneTool.Ntfsclone, Compressor = compressor });

        captured.Filesystem.Should().Be("ntfs");
        var target = MakeEmptyPartition(_folder["target.part"], captured.PartitionBytes);
        await using (var stream = File.OpenRead(image))
            await RestorePipeline.RestoreAsync(stream, ImageFormats.Of(CloneTool.Ntfsclone, compressor, "NTFS", captured.PartitionBytes, image), target);

        Shell.Run("ntfsfix", "-n", target).Should().Contain("processed successfully");
        Shell.Run("ntfsls", target).Should().Contain("noise.bin");
        foreach (var file in files)
        {
            Shell.Bash($"ntfscat '{target}' '/{file}' > '{_folder["restored-" + file]}'");
            SameBytes(_folder["restored-" + file], Path.Combine(_folder["src"], file)).Should().BeTrue($"{file} must come back unchanged");
        }
    }

    [Theory]
    [InlineData(Compressor.Lzop)]
    [InlineData(Compressor.Gzip)]
    public async Task Partclone_fat_round_trip_restores_a_clean_identical_filesystem(Compressor compressor)
    {
        var source = MakeFat(_folder["fat.part"]);
        var image = _folder["fat.img"];

        var captured = await CapturePipeline.CaptureToFileAsync(source, image, new CaptureOptions { Compressor = compressor });

        captured.Filesystem.Should().Be("vfat");
        var target = MakeEmptyPartition(_folder["target.part"], captured.PartitionBytes);
        await using (var stream = File.OpenRead(image))
            await RestorePipeline.RestoreAsync(stream, ImageFormats.Of(CloneTool.Partclone, compressor, "FAT16", captured.PartitionBytes, image), target);

        Shell.Run("fsck.vfat", "-n", target).Should().Contain(" files, ");
        SameBytes(target, source).Should().BeTrue("the restored FAT must equal its source (no mtools here to compare files one by one)");
    }

    [Theory]
    [InlineData(Compressor.Zstd)]
    [InlineData(Compressor.None)]
    [InlineData(Compressor.Lz4)]
    public async Task Dd_round_trip_restores_every_byte(Compressor compressor)
    {
        WriteSampleFiles(_folder["src"]);
        var source = MakeExt4(_folder["raw.part"], _folder["src"], sizeMiB: 16);
        var image = _folder["raw.img"];
        var progress = new List<TransferProgress>();

        var captured = await CapturePipeline.CaptureToFileAsync(source, image, new CaptureOptions { Tool = CloneTool.Dd, Compressor = compressor },
            new SynchronousProgress<TransferProgress>(progress.Add));

        var target = MakeEmptyPartition(_folder["target.part"], 16 * MiB);
        await using (var stream = File.OpenRead(image))
            await RestorePipeline.RestoreAsync(stream, ImageFormats.Of(CloneTool.Dd, compressor, "", 16 * MiB, image), target);

        SameBytes(target, source).Should().BeTrue();
        Shell.Run("e2fsck", "-fn", target).Should().Contain("files");
        progress.Should().NotBeEmpty();
        progress[^1].Bytes.Should().Be(16 * MiB);
        progress[^1].Percent.Should().Be(100);
    }
}

/// <summary>An IProgress that reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool, too late for asserts).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock _gate = new();

    public void Report(T value)
    {
        lock (_gate) report(value);
    }
}
