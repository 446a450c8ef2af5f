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
/// <see cref="HashAndReadAsync{T}"/> tees the same blocks, in order, into one more consumer that reads them as a
/// stream (deep verification: decompression and the structure walk), so the file is read from disk exactly once.
/// </summary>
public static class SinglePassHasher
{
    public const int TorrentPieceLength = 4 * 1024 * 1024;  // OpenGnsys: ctorrent -l 4194304
    public const int SumTailLength = 1024 * 1024;          // OpenGnsys: tail -c1M IMG | md5sum

    public static async Task<FileDigests> HashFileAsync(string path, int pieceLength = TorrentPieceLength,
        int tailLength = SumTailLength, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default) =>
        (await HashCoreAsync<object?>(path, pieceLength, tailLength, progress, null, cancellationToken)).Digests;

    /// <summary>
    /// One read of <paramref name="path"/> for both the digests and <paramref name="read"/>, which runs on a thread
    /// of its own and gets the file's bytes, in order, as a forward-only stream (the blocks the hashers use, not a
    /// second read). When <paramref name="read"/> throws, the pass stops and its exception is the one thrown; when it
    /// returns before the end of the file, the rest is still hashed. <paramref name="progress"/> follows the hashers.
    /// </summary>
    public static Task<(FileDigests Digests, T Result)> HashAndReadAsync<T>(string path, Func<Stream, T> read,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default,
        int pieceLength = TorrentPieceLength, int tailLength = SumTailLength)
    {
        ArgumentNullException.ThrowIfNull(read);
        return HashCoreAsync(path, pieceLength, tailLength, progress, read, cancellationToken);
    }

    private static async Task<(FileDigests Digests, T Result)> HashCoreAsync<T>(string path, int pieceLength, int tailLength,
        IProgress<TransferProgress>? progress, Func<Stream, T>? alsoRead, CancellationToken cancellationToken)
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
        var bufferCount = shaWorkers + 3 + (alsoRead is null ? 0 : 2);
        var consumers = alsoRead is null ? 2 : 3;
        using var free = new BlockingCollection<byte[]>(bufferCount);
        var buffers = Enumerable.Range(0, bufferCount).Select(_ => ArrayPool<byte>.Shared.Rent(pieceLength)).ToArray();
        foreach (var buffer in buffers) free.Add(buffer);
        using var toMd5 = new BlockingCollection<Block>(bufferCount);
        using var toSha = new BlockingCollection<Block>(bufferCount);
        using var toReader = new BlockingCollection<Block>(bufferCount);
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
                    var block = new Block(index, buffer, length, consumers);
                    toMd5.Add(block, token);
                    toSha.Add(block, token);
                    if (alsoRead is not null) toReader.Add(block, token);
                    offset += length;
                }
            }
            catch
            {
                failed.Cancel(); // before the end is signalled: the consumers must not take a failed read for the file's end
                throw;
            }
            finally
            {
                toMd5.CompleteAdding();
                toSha.CompleteAdding();
                toReader.CompleteAdding();
            }
        });

        T result = default!;
        var reading = alsoRead is null ? Task.CompletedTask : Dedicated(() =>
        {
            using var blocks = new BlockStream(toReader, Release, token);
            result = alsoRead(blocks);
            blocks.DrainRest(); // what the reader left unread is still hashed
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

        var all = sha.Append(reader).Append(md5).Append(reading).ToArray();
        try
        {
            await Task.WhenAll(all);
        }
        catch
        {
            // The cause, not the cancellations it caused in the other threads: the reader's verdict (e.g. a damaged
            // image) first, else the failure of the file read or of a hasher.
            var cause = new[] { reading }.Concat(all).Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!)
                .FirstOrDefault(e => e is not OperationCanceledException);
            if (cause is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(cause).Throw();
            throw;
        }
        finally
        {
            // Every thread has ended (WhenAll waited for all): no buffer is still in use.
            foreach (var buffer in buffers) ArrayPool<byte>.Shared.Return(buffer);
        }
        cancellationToken.ThrowIfCancellationRequested();
        reporter.Report(size, force: true);
        return (new FileDigests(size, fullMd5, MD5.HashData(tail), tail.Length, pieceLength, pieces), result);
    }

    private sealed class Block(int index, byte[] buffer, int length, int consumers)
    {
        public readonly int Index = index;
        public readonly byte[] Buffer = buffer;
        public readonly int Length = length;
        public int Pending = consumers; // MD5 and SHA-1 (and the reader)
    }

    /// <summary>The blocks handed to the reader, as a forward-only stream; each block is released once it is read.</summary>
    private sealed class BlockStream(BlockingCollection<Block> blocks, Action<Block> release, CancellationToken token) : Streams.ReadOnlyStream
    {
        private Block? _current;
        private int _offset;
        private long _position;
        private bool _ended;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty) return 0;
            while (_current is null || _offset == _current.Length)
            {
                if (_current is not null)
                {
                    release(_current);
                    _current = null;
                }
                if (_ended || !blocks.TryTake(out var next, Timeout.Infinite, token))
                {
                    _ended = true;
                    return 0;
                }
                (_current, _offset) = (next, 0);
            }
            int n = Math.Min(buffer.Length, _current.Length - _offset);
            _current.Buffer.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            _position += n;
            return n;
        }

        public void DrainRest()
        {
            if (_current is not null) release(_current);
            _current = null;
            if (_ended) return;
            foreach (var block in blocks.GetConsumingEnumerable(token)) release(block);
            _ended = true;
        }

        protected override void Dispose(bool disposing)
        {
            // On failure the pass is being cancelled; the buffers are returned to the pool after every thread ended.
            _current = null;
            base.Dispose(disposing);
        }
    }
}
