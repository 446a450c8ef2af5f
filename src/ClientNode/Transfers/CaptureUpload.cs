using System.Net;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Progress;

namespace OgActors.ClientNode.Transfers;

/// <summary>
/// Create image: the partition is captured (partclone | lzop by default, as OpenGnsys) straight into an HTTP PUT to the
/// repository the command names — no local copy — with the job's upload capability. The filesystem is detected and checked (read-only fsck) before the
/// upload starts; a capture that fails or is cancelled breaks the upload off, and the repository, which writes uploads
/// under a temporary name and renames them only when whole and inspected, keeps nothing.
/// </summary>
public static class CaptureUpload
{
    /// <param name="capability">The upload capability the coordinator issued for this create-image job (the repository refuses the upload without it).</param>
    public static async Task<CaptureResult> CaptureAsync(string partition, string image, RepositoryClient repository, string capability,
        CaptureOptions? options = null, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new CaptureOptions();
        if (!File.Exists(partition)) throw new PipelineRefusedException($"The partition {partition} to capture does not exist.");
        var filesystem = options.Filesystem ?? await Partition.DetectFilesystemAsync(partition, cancellationToken);
        if (string.IsNullOrEmpty(filesystem) && options.Tool != Imaging.Formats.CloneTool.Dd)
            throw new PipelineRefusedException($"No filesystem was found on {partition}; there is nothing to capture with {options.Tool}.");
        if (options.CheckFilesystem && !string.IsNullOrEmpty(filesystem))
            await PreCaptureCheck.EnsureCleanAsync(filesystem, partition, cancellationToken);

        var content = new CaptureContent(partition, options with { Filesystem = filesystem, CheckFilesystem = false }, progress);
        await repository.UploadAsync(image, content, capability, cancellationToken);
        return content.Result ?? throw new RepositoryException($"The capture of {partition} did not complete.");
    }

    /// <summary>The request body: the capture pipeline writes into the request stream as the tools produce it (chunked).</summary>
    private sealed class CaptureContent(string partition, CaptureOptions options, IProgress<TransferProgress>? progress) : HttpContent
    {
        public CaptureResult? Result { get; private set; }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            Result = await CapturePipeline.CaptureAsync(partition, stream, options, progress, cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
