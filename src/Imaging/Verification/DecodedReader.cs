using OgActors.Imaging.Inspection;

namespace OgActors.Imaging.Verification;

/// <summary>
/// Reads the decompressed stream in large chunks for a structure walker and keeps both offsets (decompressed, and
/// compressed as far as the file has been read) for error sentences. A decoder failure becomes an
/// <see cref="ImageFormatException"/> naming where the stream broke.
/// </summary>
internal sealed class DecodedReader(Stream decoded, Func<long> compressedOffset, string where, bool compressed)
{
    private readonly byte[] _buffer = new byte[4 * 1024 * 1024];
    private int _start, _end;
    private long _consumed; // decompressed bytes handed out before _buffer[_start]

    public long Offset => _consumed;

    public string Where => where;

    /// <summary>Exactly <paramref name="count"/> bytes (≤ 4 MiB), or an error naming <paramref name="what"/>.</summary>
    public ReadOnlySpan<byte> Take(int count, string what)
    {
        if (_end - _start < count) Fill(count, what);
        var span = _buffer.AsSpan(_start, count);
        _start += count;
        _consumed += count;
        return span;
    }

    /// <summary>The next <paramref name="count"/> bytes (≤ 4 MiB) without consuming them, or an error naming <paramref name="what"/>.</summary>
    public ReadOnlySpan<byte> Peek(int count, string what)
    {
        if (_end - _start < count) Fill(count, what);
        return _buffer.AsSpan(_start, count);
    }

    /// <summary>Up to <paramref name="count"/> (≤ 4 MiB) next bytes without consuming them: fewer only where the stream ends.</summary>
    public ReadOnlySpan<byte> PeekUpTo(int count)
    {
        count = Math.Min(count, _buffer.Length);
        if (_start > 0 && _end - _start < count)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        while (_end - _start < count && _end < _buffer.Length && ReadMore() > 0) { }
        return _buffer.AsSpan(_start, Math.Min(count, _end - _start));
    }

    /// <summary>Passes <paramref name="count"/> bytes to <paramref name="each"/> chunk by chunk (nothing is copied).</summary>
    public void Pass(long count, string what, SpanAction each)
    {
        while (count > 0)
        {
            if (_end == _start) Fill(1, what);
            int n = (int)Math.Min(count, _end - _start);
            each(_buffer.AsSpan(_start, n));
            _start += n;
            _consumed += n;
            count -= n;
        }
    }

    public delegate void SpanAction(ReadOnlySpan<byte> chunk);

    /// <summary>Reads the rest of the stream; returns how many decompressed bytes it held in all.</summary>
    public long DrainToEnd()
    {
        while (true)
        {
            _consumed += _end - _start;
            _start = _end = 0;
            if (ReadMore() == 0) return _consumed;
        }
    }

    /// <summary>True when the decompressed stream ends here.</summary>
    public bool AtEnd() => _end == _start && ReadMore() == 0;

    /// <summary>Throws unless the decompressed stream ends here.</summary>
    public void ExpectEnd(string structure)
    {
        if (_end > _start || ReadMore() > 0)
            throw Damage($"there are more bytes after the end of the {structure} (the stream goes on past what the image's structure accounts for)");
    }

    public ImageFormatException Damage(string problem) =>
        new($"{where}: at decompressed offset {_consumed}{CompressedPart()}, {problem}.");

    private string CompressedPart() => compressed ? $" (compressed offset about {compressedOffset()})" : "";

    private void Fill(int atLeast, string what)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        while (_end < atLeast)
        {
            if (ReadMore() == 0)
                throw Damage($"the stream ends inside the {what}: the image is truncated (its structure needs more bytes than the {(compressed ? "decompressed stream" : "file")} holds)");
        }
    }

    private int ReadMore()
    {
        if (_start == _end) _start = _end = 0;
        if (_end == _buffer.Length) return 1; // full: the caller has bytes to use
        int n;
        try
        {
            n = decoded.Read(_buffer, _end, _buffer.Length - _end);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or FormatException
                                      or InvalidOperationException or ArgumentException or IndexOutOfRangeException
                                      || e.GetType().Namespace?.StartsWith("ZstdSharp") == true
                                      || e.GetType().Namespace?.StartsWith("SharpCompress") == true)
        {
            throw Damage($"the compressed stream is damaged ({e.Message.TrimEnd('.')})");
        }
        _end += n;
        return n;
    }
}
