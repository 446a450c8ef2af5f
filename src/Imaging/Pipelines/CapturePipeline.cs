using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Processes;
using OgActors.Imaging.Progress;

namespace OgActors.Imaging.Pipelines;

/// <summary>
/// Captures a partition (block device or a file holding a filesystem) into an image:
/// <c>partclone.&lt;fs&gt; -c | lzop -c</c> by default (OpenGnsys), or ntfsclone, partimage or dd, and any compressor.
/// The tools are connected by an operating-system pipe; the image bytes are copied to the caller's stream.
/// </summary>
public static class CapturePipeline
{
    private const int InspectedHeadLength = 1024 * 1024;

    /// <summary>
    /// Writes the image of <paramref name="partition"/> to <paramref name="image"/>. Refuses
    /// (<see cref="PipelineRefusedException"/>) before running any tool when the partition is missing, its filesystem
    /// has no such tool or its checker reports it dirty. A failing tool gives a <see cref="ToolFailedException"/>.
    /// Progress counts the partition bytes the clone tool has read, against the bytes in use (known once the image
    /// head has been inspected; the partition size for dd). On cancellation every process is killed; what was already
    /// written to <paramref name="image"/> is the caller's to discard (<see cref="CaptureToFileAsync"/> does).
    /// </summary>
    public static async Task<CaptureResult> CaptureAsync(string partition, Stream image, CaptureOptions? options = null,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new CaptureOptions();
        var partitionBytes = Partition.SizeOf(partition);
        var filesystem = options.Filesystem ?? await Partition.DetectFilesystemAsync(partition, cancellationToken) ?? "";
        if (filesystem.Length == 0 && options.Tool != CloneTool.Dd)
            throw new PipelineRefusedException($"No filesystem was found on {partition}; capture it with dd.");

        ToolCommand?[] candidates = [CloneToolCommands.Capture(options.Tool, filesystem, partition), CompressorCommands.Compress(options.Compressor, options.CompressionLevel)];
        var stages = candidates.OfType<ToolCommand>().ToList();
        foreach (var stage in stages) ToolLocator.Require(stage.Program);
        if (options.CheckFilesystem && filesystem.Length > 0)
            await FilesystemCheck.EnsureCleanAsync(filesystem, partition, cancellationToken);

        var recorder = new HeadRecordingStream(image, InspectedHeadLength);
        long? total = options.Tool == CloneTool.Dd ? partitionBytes : null;
        var inspected = total is not null;
        long read = 0;
        var reporter = new ProgressReporter(progress, total);

        void Sample(ToolPipelineCounters counters)
        {
            if (!inspected && recorder.HeadComplete)
            {
                inspected = true;
                total = UsedBytesFromHead(recorder.Head);
            }
            read = Math.Max(read, counters.StageBytesRead(0) ?? 0);
            reporter.Report(total is { } t ? Math.Min(read, t) : read, totalOverride: total);
        }

        await ToolPipeline.RunAsync(stages, null, recorder, Sample, cancellationToken);
        await image.FlushAsync(cancellationToken);
        reporter.Report(total ?? read, force: true, totalOverride: total ?? read);
        return new CaptureResult(options.Tool, options.Compressor, filesystem, partitionBytes, recorder.BytesWritten, reporter.Elapsed);
    }

    /// <summary>
    /// Captures into a file: the image is written under a temporary name beside <paramref name="imagePath"/> and renamed
    /// over it only when the capture succeeded, so a failed or cancelled capture leaves no partial image behind.
    /// </summary>
    public static async Task<CaptureResult> CaptureToFileAsync(string partition, string imagePath, CaptureOptions? options = null,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(imagePath))!;
        if (!Directory.Exists(folder)) throw new PipelineRefusedException($"The folder {folder} for the image does not exist.");
        var temporary = Path.Combine(folder, $".{Path.GetFileName(imagePath)}.{Guid.NewGuid():N}.partial");
        try
        {
            CaptureResult result;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                result = await CaptureAsync(partition, file, options, progress, cancellationToken);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, imagePath, overwrite: true);
            return result;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static long? UsedBytesFromHead(ReadOnlySpan<byte> head)
    {
        try
        {
            var info = ImageInspector.InspectHead(head, head.Length);
            return info.UsedBytes > 0 ? info.UsedBytes : info.DeviceSizeBytes > 0 ? info.DeviceSizeBytes : null;
        }
        catch (Exception)
        {
            return null; // progress then runs without a total; the capture itself is unaffected
        }
    }
}
