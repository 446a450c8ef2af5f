using OgActors.Imaging.Streams;

namespace OgActors.Imaging.Volumes;

/// <summary>
/// The volumes of a split image read as one stream, in order (what `cat name.*` gives). Opens each file only when
/// reading reaches it, so reading the head of a many-volume image touches only the first file.
/// </summary>
public sealed class VolumeSetStream : ReadOnlyStream
{
    private readonly IReadOnlyList<string> _volumes;
    private readonly int _bufferSize;
    private int _index = -1;
    private FileStream? _current;

    public VolumeSetStream(IReadOnlyList<string> volumes, int bufferSize = 64 * 1024)
    {
        if (volumes.Count == 0) throw new ArgumentException("a volume set needs at least one file", nameof(volumes));
        _volumes = volumes;
        _bufferSize = bufferSize;
    }

    /// <summary>Opens the split set that starts with <paramref name="firstVolume"/>.</summary>
    public static VolumeSetStream Open(string firstVolume) => new(SplitVolumes.Discover(firstVolume));

    public IReadOnlyList<string> Volumes => _volumes;

    /// <summary>The volume the last read came from.</summary>
    public string CurrentVolume => _volumes[Math.Max(_index, 0)];

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0) return 0;
        while (true)
        {
            if (_current is null)
            {
                if (_index + 1 >= _volumes.Count) return 0;
                _index++;
                _current = new FileStream(_volumes[_index], FileMode.Open, FileAccess.Read, FileShare.Read, _bufferSize,
                    FileOptions.SequentialScan);
            }
            int n = _current.Read(buffer);
            if (n > 0) return n;
            _current.Dispose();
            _current = null;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _current?.Dispose();
        base.Dispose(disposing);
    }

    public override long Length => SplitVolumes.StoredSize(_volumes);
}
