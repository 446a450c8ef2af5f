using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Processes;

namespace OgActors.ClientNode.Transfers;

/// <summary>
/// The filesystem check before a capture (OpenGnsys's ogCheckFs, read-only). ext2/3/4 are checked in full
/// (<c>e2fsck -fn</c>: without <c>-f</c>, e2fsck trusts the "clean" flag and skips the check); other filesystems use
/// the Imaging library's checker.
/// </summary>
public static class PreCaptureCheck
{
    public static async Task EnsureCleanAsync(string filesystem, string partition, CancellationToken cancellationToken)
    {
        if (filesystem.ToLowerInvariant() is not ("ext2" or "ext3" or "ext4"))
        {
            await FilesystemCheck.EnsureCleanAsync(filesystem, partition, cancellationToken);
            return;
        }
        try
        {
            await ToolPipeline.RunAsync([new ToolCommand("e2fsck", "-fn", partition)], null, null, null, cancellationToken);
        }
        catch (ToolFailedException failure) when (failure.ExitCode != 127)
        {
            var detail = failure.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault(l => !l.StartsWith("e2fsck ", StringComparison.Ordinal));
            throw new PipelineRefusedException(
                $"The {filesystem} filesystem on {partition} is not clean (e2fsck -fn exit code {failure.ExitCode}{(detail is null ? "" : ": " + detail.TrimEnd('.'))}); repair it before capturing.");
        }
    }
}
