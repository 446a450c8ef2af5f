using System.Security.Cryptography;
using System.Threading.Channels;
using OgActors.Imaging.Progress;

namespace OgActors.Imaging.Hashing;

/// <summary>
/// Reads a file once, in piece-sized blocks, and hashes it concurrently: one task feeds MD5 in order
/// (whole file), worker tasks compute the SHA-1 of each piece in parallel, and the bytes of the last MiB
/// are kept aside for the tail MD5. A fixed pool of block buffers bounds memory and gives back-pressure.
/// </summary>
public static class SinglePassHasher
{
    public const int TorrentPieceLength = 4 * 1024 * 1024;  // OpenGnsys: ctorrent -l 4194304
    public const int SumTailLength = 1024 * 1024;          // OpenGnsys: tail -c1M IMG | md5sum

    public static async Task<FileDigests> HashFileAsync(string path, int pieceLength = TorrentPieceLength,
        int tailLength = SumTailLength, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pieceLength, 16 * 1024);
        ArgumentOutOfRangeException.ThrowIfNegative(tailLength);

        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var size = RandomAccess.GetLength(file);
        var pieceCount = (int)((size + pieceLength - 1) / pieceLength);
        var pieces = new byte[pieceCount * 20];
        var tailStart = Math.Max(0, size - tailLength);
        var tail = new byte[size - tailStart];

        var shaWorkers = Math.Max(1, Environment.ProcessorCount - 1);
        var bufferCount = shaWorkers + 3;
        var free = Channel.CreateBounded<byte[]>(bufferCount);
        for (var i = 0; i < bufferCount; i++) free.Writer.TryWrite(GC.AllocateUninitializedArray<byte>(pieceLength, pinned: true));
        var toMd5 = Channel.CreateBounded<Block>(bufferCount);
        var toSha = Channel.CreateBounded<Block>(bufferCount);

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = linked.Token;
        var reporter = new ProgressReporter(progress, size);

        async Task Release(Block block)
        {
            if (Interlocked.Decrement(ref block.Pending) == 0) await free.Writer.WriteAsync(block.Buffer, CancellationToken.None);
        }

        var md5Task = Task.Run(async () =>
        {
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            long hashed = 0;
            await foreach (var block in toMd5.Reader.ReadAllAsync(token))
            {
                md5.AppendData(block.Buffer, 0, block.Length);
                hashed += block.Length;
                await Release(block);
                reporter.Report(hashed);
            }
            return md5.GetHashAndReset();
        }, token);

        var shaTasks = Enumerable.Range(0, shaWorkers).Select(_ => Task.Run(async () =>
        {
            await foreach (var block in toSha.Reader.ReadAllAsync(token))
            {
                SHA1.HashData(block.Buffer.AsSpan(0, block.Length), pieces.AsSpan(block.Index * 20, 20));
                await Release(block);
            }
        }, token)).ToArray();

        try
        {
            long offset = 0;
            for (var index = 0; index < pieceCount; index++)
            {
                var buffer = await free.Reader.ReadAsync(token);
                var length = (int)Math.Min(pieceLength, size - offset);
                var read = 0;
                while (read < length)
                {
                    var n = await RandomAccess.ReadAsync(file, buffer.AsMemory(read, length - read), offset + read, token);
                    if (n == 0) throw new IOException($"The file {path} shrank while it was being hashed.");
                    read += n;
                }
                if (offset + length > tailStart)
                {
                    var from = Math.Max(tailStart, offset);
                    buffer.AsSpan((int)(from - offset), (int)(offset + length - from)).CopyTo(tail.AsSpan((int)(from - tailStart)));
                }
                var block = new Block(index, buffer, length);
                await toMd5.Writer.WriteAsync(block, token);
                await toSha.Writer.WriteAsync(block, token);
                offset += length;
            }
            toMd5.Writer.Complete();
            toSha.Writer.Complete();
            var fullMd5 = await md5Task;
            await Task.WhenAll(shaTasks);
            reporter.Report(size, force: true);
            return new FileDigests(size, fullMd5, MD5.HashData(tail), tail.Length, pieceLength, pieces);
        }
        catch
        {
            linked.Cancel();
            toMd5.Writer.TryComplete();
            toSha.Writer.TryComplete();
            try { await Task.WhenAll(shaTasks.Append(md5Task)); } catch { /* the first failure is rethrown below */ }
            throw;
        }
    }

    private sealed class Block(int index, byte[] buffer, int length)
    {
        public readonly int Index = index;
        public readonly byte[] Buffer = buffer;
        public readonly int Length = length;
        public int Pending = 2; // MD5 and SHA-1
    }
}
