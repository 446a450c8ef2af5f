namespace OgActors.Imaging.Progress;

/// <summary>A progress sample of any long operation: bytes done, the total when known, rate and ETA.</summary>
public readonly record struct TransferProgress(long Bytes, long? TotalBytes, double BytesPerSecond, TimeSpan? Eta)
{
    public double? Percent => TotalBytes is > 0 ? 100.0 * Bytes / TotalBytes.Value : null;
}
