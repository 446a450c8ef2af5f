using System.Security.Cryptography;
using OgActors.Imaging.Bencode;
using OgActors.Imaging.Hashing;

namespace OgActors.Imaging.Sidecars;

/// <summary>
/// A single-file .torrent as OpenGnsys's torrent-creator makes it (ctorrent -l 4194304, comment = full MD5),
/// plus the private flag. <see cref="InfoHash"/> is the SHA-1 of the bencoded info dictionary.
/// </summary>
public sealed record TorrentMetainfo(string Announce, string Name, long Length, int PieceLength, byte[] Pieces, bool Private, string? Comment)
{
    public int PieceCount => Pieces.Length / 20;

    public byte[] InfoHashBytes => SHA1.HashData(BencodeWriter.Encode(InfoDictionary()));

    public string InfoHash => Convert.ToHexStringLower(InfoHashBytes);

    /// <summary>The SHA-1 of piece <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Piece(int index) => Pieces.AsSpan(index * 20, 20);

    public static TorrentMetainfo FromDigests(string fileName, FileDigests digests, string announceUrl) =>
        new(announceUrl, fileName, digests.Size, digests.PieceLength, digests.PieceSha1, Private: true, Comment: digests.FullMd5Hex);

    public byte[] Encode()
    {
        var root = new BencodeDictionary()
            .Add("announce", new BencodeString(Announce))
            .Add("created by", new BencodeString("OgActors"))
            .Add("info", InfoDictionary());
        if (Comment is not null) root.Add("comment", new BencodeString(Comment));
        return BencodeWriter.Encode(root);
    }

    private BencodeDictionary InfoDictionary()
    {
        var info = new BencodeDictionary()
            .Add("length", new BencodeInteger(Length))
            .Add("name", new BencodeString(Name))
            .Add("piece length", new BencodeInteger(PieceLength))
            .Add("pieces", new BencodeString(Pieces));
        if (Private) info.Add("private", new BencodeInteger(1));
        return info;
    }

    /// <summary>Reads a single-file torrent. Throws <see cref="BencodeFormatException"/> with one sentence when it is not one.</summary>
    public static TorrentMetainfo Parse(ReadOnlySpan<byte> torrent)
    {
        if (BencodeReader.Decode(torrent) is not BencodeDictionary root)
            throw new BencodeFormatException("The torrent is not a bencoded dictionary.", 0);
        if (root["info"] is not BencodeDictionary info)
            throw new BencodeFormatException("The torrent has no info dictionary.", 0);
        if (info["files"] is not null)
            throw new BencodeFormatException("The torrent describes several files; an image torrent has exactly one.", 0);
        var announce = root["announce"] is BencodeString a ? a.Text : throw Missing("announce");
        var name = info["name"] is BencodeString n ? n.Text : throw Missing("info.name");
        var length = info["length"] is BencodeInteger l && l.Value >= 0 ? l.Value : throw Missing("info.length");
        var pieceLength = info["piece length"] is BencodeInteger p && p.Value is > 0 and <= int.MaxValue ? (int)p.Value : throw Missing("info.piece length");
        var pieces = info["pieces"] is BencodeString ps && ps.Bytes.Length % 20 == 0 ? ps.Bytes : throw Missing("info.pieces");
        var expected = (length + pieceLength - 1) / pieceLength;
        if (pieces.Length / 20 != expected)
            throw new BencodeFormatException($"The torrent has {pieces.Length / 20} piece hashes but its length needs {expected}.", 0);
        var isPrivate = info["private"] is BencodeInteger { Value: 1 };
        var comment = root["comment"] is BencodeString c ? c.Text : null;
        return new TorrentMetainfo(announce, name, length, pieceLength, pieces, isPrivate, comment);
    }

    private static BencodeFormatException Missing(string field) => new($"The torrent has no valid \"{field}\" field.", 0);
}
