using System.Text;
using OgActors.Imaging.Hashing;
using OgActors.Imaging.Progress;

namespace OgActors.Imaging.Sidecars;

/// <summary>Computes all sidecars of an image in one read pass with parallel hashing, and writes them beside it.</summary>
public static class SidecarWriter
{
    public const string SumExtension = ".sum";
    public const string FullSumExtension = ".full.sum";
    public const string TorrentExtension = ".torrent";

    /// <summary>
    /// Reads <paramref name="imagePath"/> once: MD5 of the whole file, MD5 of its last MiB and the SHA-1 of each
    /// 4 MiB piece are computed concurrently. The torrent is single-file, private, announces <paramref name="announceUrl"/>
    /// and carries the full MD5 as its comment (as OpenGnsys's torrent-creator does).
    /// </summary>
    public static async Task<SidecarSet> ComputeAsync(string imagePath, string announceUrl,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(imagePath)) throw new FileNotFoundException($"The image {imagePath} does not exist.", imagePath);
        if (!Uri.TryCreate(announceUrl, UriKind.Absolute, out _))
            throw new ArgumentException($"The announce URL \"{announceUrl}\" is not an absolute URL.", nameof(announceUrl));
        var digests = await SinglePassHasher.HashFileAsync(imagePath, progress: progress, cancellationToken: cancellationToken);
        var torrent = TorrentMetainfo.FromDigests(Path.GetFileName(imagePath), digests, announceUrl);
        return new SidecarSet(digests.TailMd5Hex, digests.FullMd5Hex, torrent.Encode(), torrent.InfoHash, digests.Size);
    }

    /// <summary>
    /// As <see cref="ComputeAsync(string, string, IProgress{TransferProgress}?, CancellationToken)"/>, and in the same
    /// read of the file also gives its bytes, in order, to <paramref name="alsoRead"/> (deep verification) on a thread
    /// of its own. An exception of <paramref name="alsoRead"/> is thrown as it is, and no sidecar is computed.
    /// </summary>
    public static async Task<SidecarSet> ComputeWhileReadingAsync(string imagePath, string announceUrl, Action<Stream> alsoRead,
        CancellationToken cancellationToken = default)
    {
        if (!File.Exists(imagePath)) throw new FileNotFoundException($"The image {imagePath} does not exist.", imagePath);
        if (!Uri.TryCreate(announceUrl, UriKind.Absolute, out _))
            throw new ArgumentException($"The announce URL \"{announceUrl}\" is not an absolute URL.", nameof(announceUrl));
        var (digests, _) = await SinglePassHasher.HashAndReadAsync<bool>(imagePath, stream =>
        {
            alsoRead(stream);
            return true;
        }, cancellationToken: cancellationToken);
        var torrent = TorrentMetainfo.FromDigests(Path.GetFileName(imagePath), digests, announceUrl);
        return new SidecarSet(digests.TailMd5Hex, digests.FullMd5Hex, torrent.Encode(), torrent.InfoHash, digests.Size);
    }

    /// <summary>Writes NAME.img.sum, .full.sum and .torrent (each via a temporary name and an atomic rename).</summary>
    public static async Task WriteAsync(string imagePath, SidecarSet sidecars, CancellationToken cancellationToken = default)
    {
        await WriteAtomicallyAsync(imagePath + SumExtension, Encoding.ASCII.GetBytes(sidecars.Sum + "\n"), cancellationToken);
        await WriteAtomicallyAsync(imagePath + FullSumExtension, Encoding.ASCII.GetBytes(sidecars.FullSum + "\n"), cancellationToken);
        await WriteAtomicallyAsync(imagePath + TorrentExtension, sidecars.Torrent, cancellationToken);
    }

    /// <summary>Computes and writes the sidecars of an image; returns what was written.</summary>
    public static async Task<SidecarSet> CreateAsync(string imagePath, string announceUrl,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var sidecars = await ComputeAsync(imagePath, announceUrl, progress, cancellationToken);
        await WriteAsync(imagePath, sidecars, cancellationToken);
        return sidecars;
    }

    /// <summary>Reads a sidecar checksum file (.sum or .full.sum): the first word, lower-case hex, or null when absent.</summary>
    public static string? ReadChecksum(string sumPath)
    {
        if (!File.Exists(sumPath)) return null;
        var word = File.ReadAllText(sumPath).Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return word?.ToLowerInvariant();
    }

    private static async Task WriteAtomicallyAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
