using OgActors.Imaging.Progress;

namespace OgActors.Imaging.Sidecars;

/// <summary>Computes all sidecars of an image in one read pass with parallel hashing, and writes them beside it.</summary>
public static class SidecarWriter
{
    public static Task<SidecarSet> ComputeAsync(string imagePath, string announceUrl,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("issue 3");

    /// <summary>Writes NAME.img.sum, .full.sum and .torrent (each via a temporary name and an atomic rename).</summary>
    public static Task WriteAsync(string imagePath, SidecarSet sidecars, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("issue 3");
}
