using OgActors.ClientNode.Transfers;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Progress;
using OgActors.Imaging.Streams;

namespace OgActors.ClientNode.Master;

/// <summary>The master {master}'s stream could not be restored; <see cref="PartitionWritten"/> says whether the partition was touched.</summary>
public sealed class CloneStreamException(string message, bool partitionWritten) : Exception(message)
{
    public bool PartitionWritten { get; } = partitionWritten;
}

/// <summary>What a receiver restored from the master {master}'s stream: its length and MD5.</summary>
public sealed record CloneReceived(long Bytes, string Md5);

/// <summary>
/// A receiver's side of the master {master}'s stream, whatever carried it (udp-receiver's output, a TCP connection): the stream
/// identity header first, refused unless it names this session, image and content — before a byte is written —, then
/// the body straight into the restore pipeline (decompressor → clone tool, the format read from the stream's own head),
/// hashed (MD5) and counted as it passes; what the tool left unread is drained and hashed too. For an image (IMG-*) the
/// length and MD5 must be the image's full sum; for a live capture (PART) the caller compares the MD5 with the master's.
/// </summary>
public static class CloneStreamReader
{
    public static async Task<CloneReceived> RestoreAsync(Stream input, string master, MulticastStreamHeader expected, string device, Action writing,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        MulticastStreamHeader header;
        try
        {
            header = await MulticastStreamHeader.ReadAsync(input, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new CloneStreamException($"The master {master}'s stream was refused: {e.Message.TrimEnd('.')}; nothing was written.", false);
        }
        if (header.Mismatch(expected) is { } why)
            throw new CloneStreamException($"The master {master}'s stream is not this session's (it carries {why}); it was refused and nothing was written.", false);

        var meter = new ProgressMeter(progress, expected.Size > 0 ? expected.Size : null);
        var body = new HashingReadStream(input, expected.Size > 0 ? expected.Size : long.MaxValue, n => meter.Report(n));
        writing();
        try
        {
            await RestorePipeline.RestoreAsync(body, device, null, cancellationToken);
            await body.DrainAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new CloneStreamException($"The restore from the master {master}'s stream broke off at {body.Count} bytes: {e.Message.TrimEnd('.')}.", true);
        }
        if (expected.Size > 0 && body.Count < expected.Size)
            throw new CloneStreamException($"The master {master}'s stream ended at {body.Count} of {expected.Size} bytes.", true);
        meter.Report(body.Count, force: true);
        var md5 = body.Md5Hex();
        if (expected.Size > 0 && !string.Equals(md5, expected.FullSum, StringComparison.OrdinalIgnoreCase))
            throw new CloneStreamException($"The master {master}'s stream of {expected.Image} has MD5 {md5}, not the full sum {expected.FullSum.ToLowerInvariant()}.", true);
        return new CloneReceived(body.Count, md5);
    }
}
