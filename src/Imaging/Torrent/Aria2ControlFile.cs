using System.Buffers.Binary;

namespace OgActors.Imaging.Torrent;

/// <summary>
/// What aria2's control file (<c>FILE.aria2</c>, beside a download it has not finished) says it holds: the torrent's
/// info-hash, piece length and total length, and the bitfield of the pieces it verified — the bytes a resumed download
/// keeps. aria2's documented layout, version 1, big-endian: version 2 bytes, extension 4, info-hash length 4 and the hash,
/// piece length 4, total length 8, upload length 8, bitfield length 4 and the bitfield, then the pieces in flight (count 4;
/// each: index 4, length 4, its blocks' bitfield length 4 and bitfield, one bit per 16 KiB block aria2 already wrote).
/// <see cref="BytesHeld"/> counts the whole pieces and the blocks in flight, as aria2 does when it resumes.
/// A partial file's length says nothing here: aria2 writes pieces at their offsets, in any order.
/// </summary>
public sealed record Aria2ControlFile(string InfoHash, int PieceLength, long TotalLength, int PiecesHeld, long BytesHeld)
{
    /// <summary>aria2's block: the unit it requests from peers and records for a piece in flight.</summary>
    public const int BlockLength = 16 * 1024;

    /// <summary>The control file at <paramref name="path"/>, or null when there is none or it is not one aria2 wrote (version 1).</summary>
    public static Aria2ControlFile? Read(string path)
    {
        byte[] head;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            head = new byte[(int)Math.Min(file.Length, 1 << 22)];
            file.ReadExactly(head);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException) { return null; }
        return Parse(head);
    }

    public static Aria2ControlFile? Parse(ReadOnlySpan<byte> data)
    {
        var at = 0;
        bool Take(int n, out ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> all)
        {
            if (at + n > all.Length || n < 0) { bytes = default; return false; }
            bytes = all.Slice(at, n);
            at += n;
            return true;
        }
        if (!Take(2, out var version, data) || BinaryPrimitives.ReadUInt16BigEndian(version) != 1) return null;
        if (!Take(4, out _, data) || !Take(4, out var hashLength, data)) return null;
        var hashBytes = BinaryPrimitives.ReadInt32BigEndian(hashLength);
        if (hashBytes is < 0 or > 64 || !Take(hashBytes, out var hash, data)) return null;
        if (!Take(4, out var pieceLength, data) || !Take(8, out var totalLength, data) || !Take(8, out _, data) || !Take(4, out var bitfieldLength, data)) return null;
        var piece = BinaryPrimitives.ReadInt32BigEndian(pieceLength);
        var total = BinaryPrimitives.ReadInt64BigEndian(totalLength);
        var bits = BinaryPrimitives.ReadInt32BigEndian(bitfieldLength);
        if (piece <= 0 || total < 0) return null;
        var pieces = (int)((total + piece - 1) / piece);
        if (bits != (pieces + 7) / 8 || !Take(bits, out var bitfield, data)) return null;
        var held = 0;
        long bytes = 0;
        for (var i = 0; i < pieces; i++)
        {
            if ((bitfield[i / 8] & (0x80 >> (i % 8))) == 0) continue;
            held++;
            bytes += Math.Min(piece, total - (long)i * piece);
        }
        if (!Take(4, out var inFlightCount, data)) return null;
        var inFlight = BinaryPrimitives.ReadInt32BigEndian(inFlightCount);
        if (inFlight < 0 || inFlight > pieces) return null;
        for (var p = 0; p < inFlight; p++)
        {
            if (!Take(4, out _, data) || !Take(4, out var lengthBytes, data) || !Take(4, out var blockBitsLength, data)) return null;
            var length = BinaryPrimitives.ReadInt32BigEndian(lengthBytes);
            var blockBits = BinaryPrimitives.ReadInt32BigEndian(blockBitsLength);
            if (length <= 0 || blockBits < 0 || !Take(blockBits, out var blocks, data)) return null;
            var blockCount = (length + BlockLength - 1) / BlockLength;
            for (var b = 0; b < blockCount && b / 8 < blocks.Length; b++)
                if ((blocks[b / 8] & (0x80 >> (b % 8))) != 0) bytes += Math.Min(BlockLength, length - (long)b * BlockLength);
        }
        return new Aria2ControlFile(Convert.ToHexStringLower(hash), piece, total, held, bytes);
    }
}
