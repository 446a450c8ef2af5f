using System.Diagnostics;
using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Processes;
using OgActors.Imaging.Progress;

namespace OgActors.Imaging.Profiles;

/// <summary>A step of an extraction: "restoring" (with the percent of the image read) or "reading".</summary>
public readonly record struct ProfileProgress(string Stage, int Percent);

/// <summary>
/// Reads the software profile of the filesystem inside an image file, without mounting anything:
/// <list type="number">
/// <item>the image is restored by the ordinary restore pipeline (decompressor → partclone.restore / ntfsclone / dd)
/// into a sparse scratch file of the source partition's size in <paramref name="scratchDirectory"/> — only the used
/// blocks take disk space; an uncompressed raw (dd) image is read in place, with no copy;</item>
/// <item>blkid names the filesystem; ext2/3/4 is read with debugfs/dumpe2fs, NTFS with ntfs-3g's tools and the
/// SOFTWARE hive with hivex, FAT with mtools;</item>
/// <item>the scratch file is deleted, whatever happened.</item>
/// </list>
/// Anything that cannot be read is in <see cref="ReadProfile.Unreadable"/> with the reason; nothing is guessed.
/// Throws only <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class ProfileExtractor(string scratchDirectory)
{
    public const string ScratchPrefix = ".og-profile-";

    /// <summary>Deletes scratch files a crashed extraction left in <paramref name="directory"/>; returns how many.</summary>
    public static int DeleteLeftovers(string directory)
    {
        if (!Directory.Exists(directory)) return 0;
        var n = 0;
        foreach (var file in Directory.EnumerateFiles(directory, ScratchPrefix + "*.tmp"))
        {
            try { File.Delete(file); n++; } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return n;
    }

    public async Task<ReadProfile> ReadAsync(string imagePath, IProgress<ProfileProgress>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        PartitionImageInfo format;
        try
        {
            format = ImageInspector.InspectFile(imagePath);
        }
        catch (ImageFormatException e)
        {
            var failed = new ProfileBuilder("");
            failed.CannotRead("filesystem", e.Message);
            return failed.Build(clock.Elapsed);
        }

        if (format is { Tool: CloneTool.Dd, Compressor: Compressor.None } && format.Volumes.Count <= 1)
        {
            progress?.Report(new ProfileProgress("reading", 0));
            return await ReadFilesystemAsync(imagePath, format, clock, ct);
        }
        if (format.Tool == CloneTool.Partimage)
        {
            var refused = new ProfileBuilder(format.Filesystem);
            refused.CannotRead("filesystem", "partimage restores only onto block devices, so a partimage image's files are not read on the repository.");
            return refused.Build(clock.Elapsed);
        }

        Directory.CreateDirectory(scratchDirectory);
        var scratch = Path.Combine(scratchDirectory, $"{ScratchPrefix}{Guid.NewGuid():N}.tmp");
        try
        {
            var needed = Math.Max(format.UsedBytes, 0);
            var free = new DriveInfo(Path.GetFullPath(scratchDirectory)).AvailableFreeSpace;
            if (needed > free)
            {
                var refused = new ProfileBuilder(format.Filesystem);
                refused.CannotRead("filesystem", $"the scratch directory {scratchDirectory} has {free} bytes free but restoring the image's used blocks needs {needed}.");
                return refused.Build(clock.Elapsed);
            }
            await using (var file = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write))
                file.SetLength(format.DeviceSizeBytes); // sparse: only what the restore writes takes space
            var restoreProgress = progress is null ? null
                : new SyncProgress<TransferProgress>(p => progress.Report(new ProfileProgress("restoring", (int)Math.Min(100, p.Percent ?? 0))));
            try
            {
                await RestorePipeline.RestoreFileAsync(imagePath, format, scratch, restoreProgress, ct);
            }
            catch (Exception e) when (e is ToolFailedException or PipelineRefusedException or IOException)
            {
                var failed = new ProfileBuilder(format.Filesystem);
                failed.CannotRead("filesystem", $"the image could not be restored to a scratch file: {e.Message}");
                return failed.Build(clock.Elapsed);
            }
            progress?.Report(new ProfileProgress("reading", 100));
            return await ReadFilesystemAsync(scratch, format, clock, ct);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private async Task<ReadProfile> ReadFilesystemAsync(string filesystemImage, PartitionImageInfo format, Stopwatch clock, CancellationToken ct)
    {
        var type = await Partition.DetectFilesystemAsync(filesystemImage, ct) ?? "";
        var profile = new ProfileBuilder(type.Length > 0 ? type : format.Filesystem);
        try
        {
            switch (type)
            {
                case "ext2" or "ext3" or "ext4":
                    await ExtProfileReader.ReadAsync(filesystemImage, profile, ct);
                    break;
                case "ntfs":
                    await NtfsProfileReader.ReadAsync(filesystemImage, scratchDirectory, profile, ct);
                    break;
                case "vfat" or "msdos":
                    await FatProfileReader.ReadAsync(filesystemImage, profile, ct);
                    break;
                case "":
                    profile.CannotRead("filesystem", "blkid recognises no filesystem in the restored image.");
                    break;
                default:
                    profile.CannotRead("filesystem", $"profiles are read from ext2/3/4, NTFS and FAT; this image holds {type}.");
                    break;
            }
        }
        catch (ToolFailedException e)
        {
            profile.CannotRead("filesystem", e.Message);
        }
        return profile.Build(clock.Elapsed);
    }

    /// <summary>An IProgress that reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool out of order).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
