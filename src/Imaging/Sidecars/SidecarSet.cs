namespace OgActors.Imaging.Sidecars;

/// <summary>The OpenGnsys-compatible integrity files of one image: .sum, .full.sum and .torrent.</summary>
public sealed record SidecarSet(
    string Sum,           // MD5 (hex) of the last MiB: OpenGnsys's NAME.img.sum
    string FullSum,       // MD5 (hex) of the whole file: NAME.img.full.sum
    byte[] Torrent,       // bencoded single-file torrent, private, 4 MiB pieces: NAME.img.torrent
    string InfoHash,      // SHA-1 (hex) of the torrent's info dictionary
    long Size);
