using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Processes;
using OgActors.Imaging.Progress;

namespace OgActors.Imaging.Pipelines;

/// <summary>
/// Captures a partition (block device or a file holding a filesystem) into an image:
/// <c>partclone.&lt;fs&gt; -c | lzop -c</c> by default (OpenGnsys), or ntfsclone, partimage or dd, and any compressor.
/// The tools are connected by an operating-system pipe, as in a shell.
/// </summary>
public static class CapturePipeline
{
    private const int InspectedHeadLength = 1024 * 1024;

    /// <summary>
    /// Writes the image of <paramref name="partition"/> to <paramref name="image"/> (e.g. an HTTP upload). Refuses
    /// (<see cref="PipelineRefusedException"/>) before running any tool when the partition is missing, its filesystem
    /// has no such tool or its checker reports it dirty. A failing tool gives a <see cref="ToolFailedException"/>.
    /// Progress counts the partition bytes the clone tool has read, against the bytes in use (known once the image
    /// head has been inspected; the partition size for dd). On cancellation every process is killed; what was already
    /// written to <paramref name="image"/> is the caller's to discard (<see cref="CaptureToFileAsync"/> does).
    /// </summary>
    public static async Task<CaptureResult> CaptureAsync(string partition, Stream image, CaptureOptions? options = null,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = await PlanAsync(partition, options ?? new CaptureOptions(), cancellationToken);
        var recorder = new HeadRecordingStream(image, InspectedHeadLength);
        var monitor = new CaptureMonitor(plan, progress, () => recorder.HeadComplete ? recorder.Head.ToArray() : null);
        await ToolPipeline.RunAsync(plan.Stages, null, recorder, monitor.Sample, cancellationToken);
        await image.FlushAsync(cancellationToken);
        return monitor.Finish(recorder.BytesWritten);
    }

    /// <summary>
    /// Captures into a file: the last tool writes straight into a temporary file beside <paramref name="imagePath"/>
    /// (no byte passes through this process, as with <c>&gt; file</c> in a shell), which is renamed over
    /// <paramref name="imagePath"/> only when the capture succeeded; a refused, failed or cancelled capture leaves no
    /// partial image behind. Like the shell pipeline it does not fsync; the rename is atomic.
    /// </summary>
    public static async Task<CaptureResult> CaptureToFileAsync(string partition, string imagePath, CaptureOptions? options = null,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(imagePath))!;
        if (!Directory.Exists(folder)) throw new PipelineRefusedException($"The folder {folder} for the image does not exist.");
        var plan = await PlanAsync(partition, options ?? new CaptureOptions(), cancellationToken);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(imagePath)}.{Guid.NewGuid():N}.partial");
        try
        {
            await using (File.Create(temporary)) { }
            var monitor = new CaptureMonitor(plan, progress, () => ReadHead(temporary));
            await ToolPipeline.RunFilesAsync(plan.Stages, null, temporary, monitor.Sample, cancellationToken);
            var result = monitor.Finish(new FileInfo(temporary).Length);
            File.Move(temporary, imagePath, overwrite: true);
            return result;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Decides the tools and checks the partition; refuses before anything runs on it.</summary>
    private static async Task<CapturePlan> PlanAsync(string partition, CaptureOptions options, CancellationToken cancellationToken)
    {
        var partitionBytes = Partition.SizeOf(partition);
        var filesystem = options.Filesystem ?? await Partition.DetectFilesystemAsync(partition, cancellationToken) ?? "";
        if (filesystem.Length == 0 && options.Tool != CloneTool.Dd)
            throw new PipelineRefusedException($"No filesystem was found on {partition}; capture it with dd.");
        if (options.Tool == CloneTool.Partimage && !Partition.IsBlockDevice(partition))
            throw new PipelineRefusedException($"partimage reads only block devices, and {partition} is not one; attach it to a loop device first.");
        ToolCommand?[] candidates = [CloneToolCommands.Capture(options.Tool, filesystem, partition), CompressorCommands.Compress(options.Compressor, options.CompressionLevel)];
        var stages = candidates.OfType<ToolCommand>().ToList();
        foreach (var stage in stages) ToolLocator.Require(stage.Program);
        if (options.CheckFilesystem && filesystem.Length > 0)
            await FilesystemCheck.EnsureCleanAsync(filesystem, partition, cancellationToken);
        return new CapturePlan(options, filesystem, partitionBytes, stages);
    }

    private static byte[]? ReadHead(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (file.Length < InspectedHeadLength) return null;
        var head = new byte[InspectedHeadLength];
        file.ReadExactly(head);
        return head;
    }

    private sealed record CapturePlan(CaptureOptions Options, string Filesystem, long PartitionBytes, IReadOnlyList<ToolCommand> Stages);

    /// <summary>
    /// Progress of a capture: the partition bytes the clone tool (stage 0) has read, against the bytes in use that
    /// inspecting the image head reveals (the whole partition for dd).
    /// </summary>
    private sealed class CaptureMonitor(CapturePlan plan, IProgress<TransferProgress>? progress, Func<byte[]?> head)
    {
        private readonly ProgressReporter _reporter = new(progress, null);
        private long? _total = plan.Options.Tool == CloneTool.Dd ? plan.PartitionBytes : null;
        private bool _inspected = plan.Options.Tool == CloneTool.Dd;
        private long _read;

        public void Sample(ToolPipelineCounters counters)
        {
            if (!_inspected && head() is { } bytes)
            {
                _inspected = true;
                _total = UsedBytesFromHead(bytes);
            }
            _read = Math.Max(_read, counters.StageBytesRead(0) ?? 0);
            _reporter.Report(_total is { } t ? Math.Min(_read, t) : _read, totalOverride: _total);
        }

        public CaptureResult Finish(long imageBytes)
        {
            var done = _total ?? _read;
            _reporter.Report(done, force: true, totalOverride: done);
            return new CaptureResult(plan.Options.Tool, plan.Options.Compressor, plan.Filesystem, plan.PartitionBytes, imageBytes, _reporter.Elapsed);
        }

        private static long? UsedBytesFromHead(byte[] head)
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
}
