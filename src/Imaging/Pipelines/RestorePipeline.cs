using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Processes;
using OgActors.Imaging.Progress;
using OgActors.Imaging.Volumes;

namespace OgActors.Imaging.Pipelines;

/// <summary>
/// Restores an image onto a partition (block device or file): decompressor → the matching restore tool
/// (<c>partclone.restore</c>, <c>ntfsclone --restore-image --overwrite</c>, <c>partimage restore</c>, <c>dd</c>),
/// connected by an operating-system pipe as in a shell.
/// <para>A restore that fails or is cancelled part-way leaves the target partition unusable (partly overwritten)
/// until an image is restored onto it again; the exception says so.</para>
/// </summary>
public static class RestorePipeline
{
    public const int InspectedHeadLength = 1024 * 1024;

    /// <summary>
    /// Restores <paramref name="image"/> (e.g. an HTTP download), whose format is <paramref name="format"/>, onto
    /// <paramref name="target"/>. Refuses (<see cref="PipelineRefusedException"/>) before writing anything when the target
    /// is missing or smaller than the image needs (<see cref="PartitionImageInfo.DeviceSizeBytes"/>). Progress counts the
    /// image bytes read, against the stream's length (or <see cref="PartitionImageInfo.StoredSize"/>).
    /// </summary>
    public static async Task<RestoreResult> RestoreAsync(Stream image, PartitionImageInfo format, string target,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        long? imageBytes = image.CanSeek ? image.Length - image.Position : format.StoredSize > 0 ? format.StoredSize : null;
        var (stages, targetBytes) = Plan(format, target, imageBytes);
        var reporter = new ProgressReporter(progress, imageBytes);
        await RunAsync(target, format, () => ToolPipeline.RunAsync(stages, image, null, counters => reporter.Report(counters.InputBytes), cancellationToken), cancellationToken);
        var done = imageBytes ?? 0;
        reporter.Report(done, force: true);
        return new RestoreResult(format, done, targetBytes, reporter.Elapsed);
    }

    /// <summary>
    /// Restores an image whose format is learnt from its first MiB: the head is read, inspected with
    /// <see cref="ImageInspector.InspectHead"/> (an <see cref="ImageFormatException"/> if it is not an image) and replayed.
    /// </summary>
    public static async Task<RestoreResult> RestoreAsync(Stream image, string target,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        long? storedSize = image.CanSeek ? image.Length - image.Position : null;
        var head = new byte[InspectedHeadLength];
        var length = await image.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        var format = ImageInspector.InspectHead(head.AsSpan(0, length), storedSize ?? (length < head.Length ? length : 0));
        if (storedSize is { } known && format.StoredSize != known) format = format with { StoredSize = known };
        return await RestoreAsync(new ReplayStream(head.AsMemory(0, length), image), format, target, progress, cancellationToken);
    }

    /// <summary>
    /// Restores the image file <paramref name="imagePath"/> of format <paramref name="format"/>: the first tool reads the
    /// file itself (<c>&lt; file</c> as in a shell; no byte passes through this process), and progress counts the image
    /// bytes that tool has read. A split image (<see cref="PartitionImageInfo.Volumes"/> lists several files) is streamed
    /// from its volumes in order.
    /// </summary>
    public static async Task<RestoreResult> RestoreFileAsync(string imagePath, PartitionImageInfo format, string target,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(imagePath)) throw new PipelineRefusedException($"The image {imagePath} does not exist.");
        if (format.Volumes.Count > 1)
        {
            await using var volumes = new VolumeSetStream(format.Volumes);
            return await RestoreAsync(volumes, format, target, progress, cancellationToken);
        }
        var imageBytes = new FileInfo(imagePath).Length;
        var (stages, targetBytes) = Plan(format, target, imageBytes);
        var reporter = new ProgressReporter(progress, imageBytes);
        long read = 0;
        await RunAsync(target, format, () => ToolPipeline.RunFilesAsync(stages, imagePath, null,
            counters => reporter.Report(read = Math.Min(imageBytes, Math.Max(read, counters.StageBytesRead(0) ?? 0))), cancellationToken), cancellationToken);
        reporter.Report(imageBytes, force: true);
        return new RestoreResult(format, imageBytes, targetBytes, reporter.Elapsed);
    }

    /// <summary>
    /// Restores the image file <paramref name="imagePath"/> (or the split set whose first volume it is), learning its
    /// format with <see cref="ImageInspector.InspectFile"/>; an <see cref="ImageFormatException"/> if it is not an image.
    /// </summary>
    public static Task<RestoreResult> RestoreFileAsync(string imagePath, string target,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(imagePath)) throw new PipelineRefusedException($"The image {imagePath} does not exist.");
        return RestoreFileAsync(imagePath, ImageInspector.InspectFile(imagePath), target, progress, cancellationToken);
    }

    /// <summary>Checks the target and decides the tools; refuses before anything is written.</summary>
    private static (IReadOnlyList<ToolCommand> Stages, long TargetBytes) Plan(PartitionImageInfo format, string target, long? imageBytes)
    {
        var targetBytes = Partition.SizeOf(target);
        var required = format.DeviceSizeBytes;
        if (format is { Tool: CloneTool.Dd, Compressor: Compressor.None } && imageBytes is { } raw) required = Math.Max(required, raw);
        if (required > targetBytes)
            throw new PipelineRefusedException(
                $"The target {target} has {targetBytes} bytes but the image needs {required} bytes ({Math.Ceiling(required / 1048576.0)} MiB); nothing was written.");
        if (format.Tool == CloneTool.Partimage && !Partition.IsBlockDevice(target))
            throw new PipelineRefusedException($"partimage writes only to block devices, and {target} is not one; attach it to a loop device first.");
        ToolCommand?[] candidates = [CompressorCommands.Decompress(format.Compressor), CloneToolCommands.Restore(format.Tool, target)];
        var stages = candidates.OfType<ToolCommand>().ToList();
        foreach (var stage in stages) ToolLocator.Require(stage.Program);
        return (stages, targetBytes);
    }

    private static async Task RunAsync(string target, PartitionImageInfo format, Func<Task> run, CancellationToken cancellationToken)
    {
        try
        {
            await run();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"The restore onto {target} was cancelled; the partition is left unusable until an image is restored onto it again.", null, cancellationToken);
        }
        catch (ToolFailedException failure)
        {
            var decompressor = CompressorCommands.Decompress(format.Compressor)?.Name;
            var what = failure.Tool == decompressor
                ? $"The image does not decompress with {failure.Tool} (it is truncated or corrupt: {ErrorSentence.MostTellingLine(failure.StandardError)?.TrimEnd('.') ?? $"exit code {failure.ExitCode}"})"
                : failure.Message.TrimEnd('.');
            throw new ToolFailedException(failure.Tool, failure.ExitCode,
                $"{what}; the restore onto {target} did not finish and the partition may be unusable.", failure.StandardError);
        }
    }
}
