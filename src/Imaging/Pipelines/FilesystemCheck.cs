using OgActors.Imaging.Processes;

namespace OgActors.Imaging.Pipelines;

/// <summary>Read-only filesystem checks run before a capture (OpenGnsys's ogCheckFs, but never repairing).</summary>
public static class FilesystemCheck
{
    /// <summary>The read-only checker for a filesystem type as blkid names it, or null when there is none.</summary>
    public static ToolCommand? CheckerFor(string filesystem, string partition) => filesystem.ToLowerInvariant() switch
    {
        "ext2" or "ext3" or "ext4" => new ToolCommand("e2fsck", "-n", partition),
        "ntfs" => new ToolCommand("ntfsfix", "-n", partition),
        "vfat" or "msdos" => new ToolCommand("fsck.vfat", "-n", partition),
        _ => null,
    };

    /// <summary>Refuses with one sentence when the checker reports problems; does nothing when no checker exists.</summary>
    public static async Task EnsureCleanAsync(string filesystem, string partition, CancellationToken cancellationToken = default)
    {
        var checker = CheckerFor(filesystem, partition);
        if (checker is null || !ToolLocator.IsInstalled(checker.Program)) return;
        try
        {
            await ToolPipeline.RunAsync([checker], null, null, null, cancellationToken);
        }
        catch (ToolFailedException failure) when (failure.ExitCode != 127)
        {
            var detail = ErrorSentence.MostTellingLine(failure.StandardError);
            throw new PipelineRefusedException(
                $"The {filesystem} filesystem on {partition} is not clean ({checker.Name} -n exit code {failure.ExitCode}{(detail is null ? "" : ": " + detail.TrimEnd('.'))}); repair it before capturing.");
        }
    }
}
