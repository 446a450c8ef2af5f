using OgActors.Imaging.Inspection;
using OgActors.Imaging.Progress;
using OgActors.Imaging.Sidecars;
using OgActors.Imaging.Verification;
using OgActors.Messages.Repositories;
using OgActors.RepositoryNode.Catalog;

namespace OgActors.RepositoryNode.Incorporation;

/// <summary>What incorporating one version of NAME.img came to.</summary>
public abstract record IncorporationOutcome(ImageKey Key, FileStamp Stamp)
{
    public sealed record Incorporated(ImageKey Key, FileStamp Stamp, ImageFileInfo Info, ImageSums Sums) : IncorporationOutcome(Key, Stamp);
    public sealed record Rejected(ImageKey Key, FileStamp Stamp, string Reason) : IncorporationOutcome(Key, Stamp);
}

/// <summary>
/// The work of OpenGnsys's torrent-creator, for one image, without the cron: lock, delete stale sidecars, inspect,
/// then one read of the file that both verifies the whole stream (<see cref="ImageVerifier"/>) and computes
/// .sum/.full.sum/.torrent (<see cref="SidecarWriter"/>), write them and the info sidecar only when it verified, unlock. At most
/// <see cref="RepositoryActorSettings.MaxConcurrentIncorporations"/> images are read at once.
/// An image that cannot be understood gets NAME.img.error (one sentence) and is otherwise left untouched.
/// </summary>
public sealed class Incorporator(RepositoryActorSettings settings, IProgress<(ImageKey, TransferProgress)>? progress = null)
{
    private readonly SemaphoreSlim _readers = new(Math.Max(1, settings.MaxConcurrentIncorporations));

    public async Task<IncorporationOutcome> IncorporateAsync(ImageKey key, FileStamp stamp, CancellationToken ct)
    {
        await _readers.WaitAsync(ct);
        var files = new ImageFiles(settings.ImagesDirectory, key);
        try
        {
            await File.WriteAllTextAsync(files.Lock, "incorporating\n", ct);
            foreach (var stale in files.Derived) File.Delete(stale);

            PartitionImageInfo inspected;
            try
            {
                var found = ImageInspector.Inspect(files.Image);
                inspected = found.Count == 1
                    ? found[0]
                    : throw new ImageFormatException($"{Path.GetFileName(files.Image)} holds {found.Count} partition images; import it to split them.");
            }
            catch (ImageFormatException e)
            {
                await File.WriteAllTextAsync(files.Error, e.Message + "\n", ct);
                return new IncorporationOutcome.Rejected(key, stamp, e.Message);
            }

            // One read of the file: the blocks read are hashed (.sum, .full.sum, torrent pieces) and, in the same
            // pass, decompressed and walked by the verifier; nothing is written beside the image unless it verified.
            var perImage = progress is null ? null : new Progress<TransferProgress>(p => progress.Report((key, p)));
            SidecarSet sidecars;
            try
            {
                if (inspected.Volumes.Count == 1 && Path.GetFullPath(inspected.Volumes[0]) == Path.GetFullPath(files.Image))
                    sidecars = await SidecarWriter.ComputeWhileReadingAsync(files.Image, settings.AnnounceUrl,
                        stream => ImageVerifier.Verify(inspected, stream, perImage, ct), ct);
                else
                {
                    // A volume set (NAME.img and its continuations) is verified as a whole; the sums are NAME.img's.
                    await Task.Factory.StartNew(() => ImageVerifier.Verify(inspected, perImage, ct), ct,
                        TaskCreationOptions.LongRunning, TaskScheduler.Default);
                    sidecars = await SidecarWriter.ComputeAsync(files.Image, settings.AnnounceUrl, null, ct);
                }
            }
            catch (ImageFormatException e)
            {
                await File.WriteAllTextAsync(files.Error, e.Message + "\n", ct);
                return new IncorporationOutcome.Rejected(key, stamp, e.Message);
            }
            await SidecarWriter.WriteAsync(files.Image, sidecars, ct);

            var info = new ImageFileInfo(inspected.ToolName, inspected.Compressor.ToString().ToUpperInvariant(),
                inspected.Filesystem, inspected.RequiredSizeKiB, inspected.UsedBytes, inspected.OgLine);
            var sums = new ImageSums(sidecars.Sum, sidecars.FullSum, sidecars.InfoHash);
            await InfoSidecar.WriteAsync(files.Info, new InfoSidecar(key.Name, stamp.Size, stamp.ModifiedAt, info,
                sums.Sum, sums.FullSum, sums.InfoHash, DateTimeOffset.UtcNow, InfoSidecar.Serialize(inspected),
                stamp.ChangedAt, stamp.Device, stamp.Inode), ct);
            return new IncorporationOutcome.Incorporated(key, stamp, info, sums);
        }
        finally
        {
            File.Delete(files.Lock);
            _readers.Release();
        }
    }

    /// <summary>
    /// Verifies again, in one read, an image recalled as incorporated (og.repository.reverify-on-start): null when
    /// it still verifies and still has its recorded full MD5; otherwise its sidecars are removed, NAME.img.error
    /// written, and the rejection returned. Nothing is locked: the file stays served while it is read.
    /// </summary>
    public async Task<IncorporationOutcome.Rejected?> ReverifyAsync(ImageKey key, FileStamp stamp, ImageSums recorded, CancellationToken ct)
    {
        await _readers.WaitAsync(ct);
        var files = new ImageFiles(settings.ImagesDirectory, key);
        try
        {
            string? reason = null;
            try
            {
                var found = ImageInspector.Inspect(files.Image);
                var inspected = found.Count == 1
                    ? found[0]
                    : throw new ImageFormatException($"{Path.GetFileName(files.Image)} holds {found.Count} partition images; import it to split them.");
                var sidecars = await SidecarWriter.ComputeWhileReadingAsync(files.Image, settings.AnnounceUrl,
                    stream => ImageVerifier.Verify(inspected, stream, null, ct), ct);
                if (sidecars.FullSum != recorded.FullSum)
                    reason = $"{Path.GetFileName(files.Image)}: its full MD5 is now {sidecars.FullSum} but was {recorded.FullSum} when it was incorporated, although its size, times and inode did not change, so the stored file is damaged.";
            }
            catch (ImageFormatException e)
            {
                reason = e.Message;
            }
            if (reason is null) return null;
            if (FileStamp.Of(files.Image) != stamp) return null; // it changed meanwhile: the watcher has it incorporated again
            foreach (var stale in files.Derived) File.Delete(stale);
            await File.WriteAllTextAsync(files.Error, reason + "\n", ct);
            return new IncorporationOutcome.Rejected(key, stamp, reason);
        }
        finally
        {
            _readers.Release();
        }
    }

    /// <summary>
    /// Earlier work still valid for this version of the file (a restart, a rescan): the info sidecar and all
    /// OpenGnsys sidecars present for the same identity (size, mtime, ctime, device and inode: a file rewritten in
    /// place, even with its size and mtime put back, is verified again), or an error sidecar written after the file
    /// last changed (its ctime, which cannot be set back).
    /// </summary>
    public IncorporationOutcome? Recall(ImageKey key, FileStamp stamp)
    {
        var files = new ImageFiles(settings.ImagesDirectory, key);
        var info = InfoSidecar.TryRead(files.Info);
        if (info is not null && info.Describes(stamp)
            && File.Exists(files.Sum) && File.Exists(files.FullSum) && File.Exists(files.Torrent))
            return new IncorporationOutcome.Incorporated(key, stamp, info.Info, new ImageSums(info.Sum, info.FullSum, info.InfoHash));
        var error = new FileInfo(files.Error);
        var changed = stamp.ChangedAt > stamp.ModifiedAt ? stamp.ChangedAt : stamp.ModifiedAt;
        if (error.Exists && error.LastWriteTimeUtc >= changed.UtcDateTime)
            return new IncorporationOutcome.Rejected(key, stamp, File.ReadAllText(files.Error).Trim());
        return null;
    }
}
