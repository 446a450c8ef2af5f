using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using OgActors.Imaging.Progress;

namespace OgActors.Imaging.Hashing;

/// <summary>
/// Reads a file once, in piece-sized blocks, and hashes it concurrently: a reader thread fills block buffers, one
/// thread feeds them to MD5 in order (whole file), worker threads compute the SHA-1 of each piece in parallel, and
/// the bytes of the last MiB are kept aside for the tail MD5. A fixed pool of block buffers bounds memory and gives
/// back-pressure. The threads are dedicated ones (not the thread pool): each runs for the whole pass, and on a
/// two-core machine the pool would otherwise starve while it decides to add threads.
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
        cancellationToken.ThrowIfCancellationRequested();

        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var size = RandomAccess.GetLength(file);
        var pieceCount = (int)((size + pieceLength - 1) / pieceLength);
        var pieces = new byte[pieceCount * 20];
        var tailStart = Math.Max(0, size - tailLength);
        var tail = new byte[size - tailStart];
        byte[] fullMd5 = [];

        var shaWorkers = Math.Max(1, Environment.ProcessorCount - 1);
        var bufferCount = shaWorkers + 3;
        using var free = new BlockingCollection<byte[]>(bufferCount);
        var buffers = Enumerable.Range(0, bufferCount).Select(_ => ArrayPool<byte>.Shared.Rent(pieceLength)).ToArray();
        foreach (var buffer in buffers) free.Add(buffer);
        using var toMd5 = new BlockingCollection<Block>(bufferCount);
        using var toSha = new BlockingCollection<Block>(bufferCount);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = failed.Token;
        var reporter = new ProgressReporter(progress, size);

        void Release(Block block)
        {
            if (Interlocked.Decrement(ref block.Pending) == 0) free.Add(block.Buffer);
        }

        Task Dedicated(Action work) => Task.Factory.StartNew(() =>
        {
            try
            {
                work();
            }
            catch
            {
                failed.Cancel(); // stop the other threads
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var reader = Dedicated(() =>
        {
            try
            {
                long offset = 0;
                for (var index = 0; index < pieceCount; index++)
                {
                    var buffer = free.Take(token);
                    var length = (int)Math.Min(pieceLength, size - offset);
                    var read = 0;
                    while (read < length)
                    {
                        var n = RandomAccess.Read(file, buffer.AsSpan(read, length - read), offset + read);
                        if (n == 0) throw new IOException($"The file {path} shrank while it was being hashed.");
                        read += n;
                    }
                    if (offset + length > tailStart)
                    {
                        var from = Math.Max(tailStart, offset);
                        buffer.AsSpan((int)(from - offset), (int)(offset + length - from)).CopyTo(tail.AsSpan((int)(from - tailStart)));
                    }
                    var block = new Block(index, buffer, length);
                    toMd5.Add(block, token);
                    toSha.Add(block, token);
                    offset += length;
                }
            }
            finally
            {
                toMd5.CompleteAdding();
                toSha.CompleteAdding();
            }
        });

        var md5 = Dedicated(() =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            long hashed = 0;
            foreach (var block in toMd5.GetConsumingEnumerable(token))
            {
                hash.AppendData(block.Buffer, 0, block.Length);
                hashed += block.Length;
                Release(block);
                reporter.Report(hashed);
            }
            fullMd5 = hash.GetHashAndReset();
        });

        var sha = Enumerable.Range(0, shaWorkers).Select(_ => Dedicated(() =>
        {
            foreach (var block in toSha.GetConsumingEnumerable(token))
            {
                SHA1.HashData(block.Buffer.AsSpan(0, block.Length), pieces.AsSpan(block.Index * 20, 20));
                Release(block);
            }
        }));

        try
        {
            await Task.WhenAll(sha.Append(reader).Append(md5));
        }
        finally
        {
            foreach (var buffer in buffers) ArrayPool<byte>.Shared.Return(buffer);
        }
        cancellationToken.ThrowIfCancellationRequested();
        reporter.Report(size, force: true);
        return new FileDigests(size, fullMd5, MD5.HashData(tail), tail.Length, pieceLength, pieces);
    }

    private sealed class Block(int index, byte[] buffer, int length)
    {
        public readonly int Index = index;
        public readonly byte[] Buffer = buffer;
        public readonly int Length = length;
        public int Pending = 2; // MD5 and SHA-1
    }
}
