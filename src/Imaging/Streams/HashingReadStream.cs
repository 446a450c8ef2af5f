using System.Security.Cryptography;

namespace OgActors.Imaging.Streams;

/// <summary>
/// A read-only view of at most <c>limit</c> bytes of a stream that hashes (MD5) and counts every byte passing through it,
/// so a transfer can prove that what it fed to a restore tool is the image's full sum. Disposing it leaves the inner
/// stream open (the owner of the transfer closes it), so what a tool did not read can still be drained and hashed.
/// </summary>
public sealed class HashingReadStream(Stream inner, long limit, Action<long>? counted = null) : ReadOnlyStream
{
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);

    /// <summary>Bytes read so far.</summary>
    public long Count { get; private set; }

    public override long Position { get => Count; set => throw new NotSupportedException(); }

    /// <summary>The MD5 of the bytes read (lower-case hex); call once, after the last read (it releases the hasher, which a
    /// consumer's disposal of this stream does not, so the sum survives a restore tool closing its input).</summary>
    public string Md5Hex()
    {
        var hex = Convert.ToHexStringLower(_md5.GetHashAndReset());
        _md5.Dispose();
        return hex;
    }

    /// <summary>Reads and hashes what the consumer left unread, up to the limit.</summary>
    public Task DrainAsync(CancellationToken cancellationToken) => CopyToAsync(Null, 1 << 20, cancellationToken);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var room = (int)Math.Min(buffer.Length, limit - Count);
        if (room <= 0) return 0;
        var n = await inner.ReadAsync(buffer[..room], cancellationToken);
        if (n > 0) { _md5.AppendData(buffer.Span[..n]); Count += n; counted?.Invoke(Count); }
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

}
