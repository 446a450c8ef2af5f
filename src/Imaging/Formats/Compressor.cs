namespace OgActors.Imaging.Formats;

/// <summary>How an image's stream is compressed, detected by content (magic bytes), never by file name.</summary>
public enum Compressor { None, Gzip, Lzop, Zstd, Bzip2, Xz, Lz4 }
