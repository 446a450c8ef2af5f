namespace OgActors.Imaging.Hashing;

/// <summary>
/// What one read pass over a file yields: MD5 of the whole file, MD5 of its last <see cref="TailLength"/> bytes,
/// and the SHA-1 of every <see cref="PieceLength"/>-byte piece (concatenated, 20 bytes each, as in a torrent).
/// </summary>
public sealed record FileDigests(long Size, byte[] FullMd5, byte[] TailMd5, int TailLength, int PieceLength, byte[] PieceSha1)
{
    public int PieceCount => PieceSha1.Length / 20;

    public string FullMd5Hex => Convert.ToHexStringLower(FullMd5);

    public string TailMd5Hex => Convert.ToHexStringLower(TailMd5);
}
