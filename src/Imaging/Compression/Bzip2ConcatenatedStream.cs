using ICSharpCode.SharpZipLib.BZip2;

namespace OgActors.Imaging.Compression;

/// <summary>
/// bzip2 files may hold several streams back to back (pbzip2 output, `cat a.bz2 b.bz2`); SharpZipLib's
/// <see cref="BZip2InputStream"/> decodes one. This reads them all as one stream.
/// </summary>
public sealed class Bzip2ConcatenatedStream(Stream compressed, bool leaveOpen = false)
    : ConcatenatedStream(compressed, new BZip2InputStream(compressed) { IsStreamOwner = false }, leaveOpen)
{
    protected override Stream? OpenNextMember()
    {
        var magic = new byte[4];
        int got = Compressed.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got == 0) return null;
        if (got < 4 || magic[0] != 'B' || magic[1] != 'Z' || magic[2] != 'h' || magic[3] is < (byte)'1' or > (byte)'9')
            throw new InvalidDataException("data after a bzip2 stream is not another bzip2 stream");
        return new BZip2InputStream(new PrefixedStream(magic, Compressed, leaveOpen: true)) { IsStreamOwner = true };
    }
}
