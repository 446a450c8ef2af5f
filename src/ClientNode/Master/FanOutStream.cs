using System.Security.Cryptography;

namespace OgActors.ClientNode.Master;

/// <summary>
/// A write-only stream that copies every byte it is given to several outputs at once (one TCP connection per receiver, or
/// the FIFO udp-sender reads), and hashes (MD5) and counts what it was given: the stream hash the master and its receivers
/// agree on. An output whose write fails is dropped (its receiver is told by its own stream ending) and the others go on,
/// as mbuffer does with several outputs; when every output is gone the write fails. The slowest output paces the others
/// (no unbounded buffering).
/// </summary>
public sealed class FanOutStream(IReadOnlyList<(string Name, Stream Output)> outputs) : Stream
{
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly List<(string Name, Stream Output)> _alive = [.. outputs];
    private readonly Dictionary<string, string> _dropped = new(StringComparer.OrdinalIgnoreCase);
    private long _count;

    /// <summary>Bytes written so far (to every output still alive).</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>The outputs that failed, and why.</summary>
    public IReadOnlyDictionary<string, string> Dropped { get { lock (_dropped) return new Dictionary<string, string>(_dropped); } }

    /// <summary>The MD5 of the bytes written (lower-case hex); call once, after the last write.</summary>
    public string Md5Hex() => Convert.ToHexStringLower(_md5.GetHashAndReset());

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0) return;
        _md5.AppendData(buffer.Span);
        var writes = _alive.Select(async o =>
        {
            try { await o.Output.WriteAsync(buffer, cancellationToken); return (o, (string?)null); }
            catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException) { return (o, e.Message); }
        }).ToList();
        foreach (var (o, error) in await Task.WhenAll(writes))
        {
            if (error is null) continue;
            _alive.Remove(o);
            lock (_dropped) _dropped[o.Name] = error;
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (_alive.Count == 0) throw new IOException("Every receiver of the stream is gone.");
        Interlocked.Add(ref _count, buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var o in _alive.ToList())
        {
            try { await o.Output.FlushAsync(cancellationToken); }
            catch (IOException e) { _alive.Remove(o); lock (_dropped) _dropped[o.Name] = e.Message; }
        }
    }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Count; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _md5.Dispose();
        base.Dispose(disposing);
    }
}
