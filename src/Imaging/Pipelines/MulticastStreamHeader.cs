using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace OgActors.Imaging.Pipelines;

/// <summary>
/// The identity a multicast stream carries before its first data byte: which session, image, revision and content (full
/// MD5) and how many bytes follow. udpcast binds streams by order only; with this header a receiver refuses a stream that
/// is not the one its job expects before it writes anything.
/// <para>Wire form: the 8 ASCII bytes <c>OGMCAST1</c>, a big-endian 32-bit length, then that many bytes of UTF-8 JSON.</para>
/// </summary>
public sealed record MulticastStreamHeader(string Session, string Image, int Revision, string FullSum, long Size)
{
    private static readonly byte[] Magic = "OGMCAST1"u8.ToArray();
    private const int MaxJson = 64 * 1024;

    public byte[] ToBytes()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Wire(Session, Image, Revision, FullSum.ToLowerInvariant(), Size));
        var bytes = new byte[Magic.Length + 4 + json.Length];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(Magic.Length), json.Length);
        json.CopyTo(bytes, Magic.Length + 4);
        return bytes;
    }

    /// <summary>Reads the header from the start of <paramref name="stream"/>; an <see cref="InvalidDataException"/> (one sentence) when there is none.</summary>
    public static async Task<MulticastStreamHeader> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var prefix = new byte[Magic.Length + 4];
        var got = await stream.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, cancellationToken);
        if (got == 0) throw new InvalidDataException("The multicast stream ended before its identity header arrived.");
        if (got < prefix.Length || !prefix.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException("The multicast stream does not start with an OgActors identity header (not one of ours).");
        var length = BinaryPrimitives.ReadInt32BigEndian(prefix.AsSpan(Magic.Length));
        if (length is <= 0 or > MaxJson) throw new InvalidDataException($"The multicast stream's identity header has an impossible length ({length}).");
        var json = new byte[length];
        if (await stream.ReadAtLeastAsync(json, length, throwOnEndOfStream: false, cancellationToken) < length)
            throw new InvalidDataException("The multicast stream ended inside its identity header.");
        try
        {
            var w = JsonSerializer.Deserialize<Wire>(json) ?? throw new JsonException();
            return new MulticastStreamHeader(w.Session ?? "", w.Image ?? "", w.Revision, w.FullSum ?? "", w.Size);
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"The multicast stream's identity header is not valid: {Encoding.UTF8.GetString(json)[..Math.Min(80, length)]}");
        }
    }

    /// <summary>
    /// Why this stream is not <paramref name="expected"/> (null when it is): session, image and content (full sum) must be the
    /// ones the job expects; the revision too, when both name one.
    /// </summary>
    public string? Mismatch(MulticastStreamHeader expected)
    {
        var why = new List<string>();
        if (Session != expected.Session) why.Add($"session {Session} instead of {expected.Session}");
        if (Image != expected.Image) why.Add($"image {Image} instead of {expected.Image}");
        if (Revision > 0 && expected.Revision > 0 && Revision != expected.Revision) why.Add($"revision {Revision} instead of {expected.Revision}");
        if (!string.Equals(FullSum, expected.FullSum, StringComparison.OrdinalIgnoreCase)) why.Add($"full sum {FullSum} instead of {expected.FullSum.ToLowerInvariant()}");
        if (expected.Size > 0 && Size != expected.Size) why.Add($"{Size} bytes instead of {expected.Size}");
        return why.Count == 0 ? null : string.Join(", ", why);
    }

    private sealed record Wire(string Session, string Image, int Revision, string FullSum, long Size);
}
