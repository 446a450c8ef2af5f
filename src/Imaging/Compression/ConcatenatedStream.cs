using OgActors.Imaging.Streams;

namespace OgActors.Imaging.Compression;

/// <summary>
/// A compressed file made of several members back to back (`cat a.x b.x`, parallel compressors), read as one stream:
/// decodes the current member to its end, then asks the format for the next member, until the file ends.
/// </summary>
public abstract class ConcatenatedStream : ReadOnlyStream
{
    private readonly bool _leaveOpen;
    private Stream? _current;

    /// <param name="compressed">The compressed file.</param>
    /// <param name="firstMember">The decoder of the first member, reading from <paramref name="compressed"/>.</param>
    /// <param name="leaveOpen">Whether disposing this stream leaves <paramref name="compressed"/> open.</param>
    protected ConcatenatedStream(Stream compressed, Stream firstMember, bool leaveOpen)
    {
        Compressed = compressed;
        _current = firstMember;
        _leaveOpen = leaveOpen;
    }

    /// <summary>The compressed file, positioned right after the member decoded last.</summary>
    protected Stream Compressed { get; }

    /// <summary>
    /// Opens the decoder of the member that starts at <see cref="Compressed"/>'s position, or returns null when the file
    /// ends there; throws <see cref="InvalidDataException"/> when what follows is not another member.
    /// </summary>
    protected abstract Stream? OpenNextMember();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_current is not null)
        {
            int n = _current.Read(buffer);
            if (n > 0 || buffer.Length == 0) return n;
            _current.Dispose();
            _current = OpenNextMember();
        }
        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            if (!_leaveOpen) Compressed.Dispose();
        }
        base.Dispose(disposing);
    }
}
