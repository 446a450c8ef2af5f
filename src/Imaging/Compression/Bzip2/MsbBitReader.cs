using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OgActors.Imaging.Compression.Bzip2;

/// <summary>
/// Reads a stream as bits, most significant bit of each byte first (bzip2's order), through a 64-bit window.
/// Past the end of the stream the window is padded with zero bits; using any of them is detected
/// (<see cref="ThrowIfPastEnd"/>) and reported as a truncated stream.
/// </summary>
internal sealed class MsbBitReader(Stream source)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _position;
    private int _end;
    private ulong _window;          // left-aligned: the next bit is bit 63
    private int _bits;              // bits in the window (real and padding)
    private int _paddingBits;       // zero bits appended past the end of the stream, at the window's tail

    /// <summary>Makes at least <paramref name="n"/> (at most 57) bits available to <see cref="Peek"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Ensure(int n)
    {
        if (_bits < n) Refill();
    }

    /// <summary>The next <paramref name="n"/> bits (1..32) without consuming them; call <see cref="Ensure"/> first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Peek(int n) => (uint)(_window >> (64 - n));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Skip(int n)
    {
        _window <<= n;
        _bits -= n;
    }

    /// <summary>Reads <paramref name="n"/> bits (1..32) as an unsigned number.</summary>
    public uint Read(int n)
    {
        Ensure(n);
        uint value = Peek(n);
        Skip(n);
        return value;
    }

    public bool ReadBit() => Read(1) != 0;

    /// <summary>
    /// Hands the window to a hot loop that keeps it in locals (<paramref name="window"/> left-aligned, <paramref name="bits"/>
    /// valid); the loop refills through <see cref="Refill(ref ulong, ref int)"/> and gives the window back with <see cref="Return"/>.
    /// </summary>
    public void Lend(out ulong window, out int bits) => (window, bits) = (_window, _bits);

    public void Return(ulong window, int bits) => (_window, _bits) = (window, bits);

    /// <summary>
    /// Refills a lent window from the buffered bytes, without a call; false when fewer than 8 are buffered. One
    /// big-endian load; only whole bytes are counted (a partial byte loaded beyond them is loaded again later).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRefill(ref ulong window, ref int bits)
    {
        int position = _position;
        if (_end - position < 8) return false;
        ulong next = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), position));
        window |= (BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(next) : next) >> bits;
        int bytes = (64 - bits) >> 3;
        _position = position + bytes;
        bits += bytes << 3;
        return true;
    }

    /// <summary>Refills a lent window, reading the stream when needed (past its end: zero padding).</summary>
    public void Refill(ref ulong window, ref int bits)
    {
        (_window, _bits) = (window, bits);
        Refill();
        (window, bits) = (_window, _bits);
    }

    /// <summary>Whether the window has been padded: the stream's last byte is in it or was used.</summary>
    public bool ReachedEnd => _paddingBits > 0;

    /// <summary>Whether bits past the end of the stream were used.</summary>
    public bool IsPastEnd => _bits < _paddingBits;

    /// <summary>Throws <see cref="EndOfStreamException"/> when bits past the end of the stream were used.</summary>
    public void ThrowIfPastEnd()
    {
        if (IsPastEnd) throw new EndOfStreamException("the bzip2 stream ends in the middle of a block");
    }

    /// <summary>Drops the bits up to the next byte boundary of the stream (bzip2 pads each stream's end to a whole byte).</summary>
    public void AlignToByte()
    {
        ThrowIfPastEnd();
        Skip((_bits - _paddingBits) & 7);
    }

    /// <summary>Whether every byte of the stream has been consumed; call on a byte boundary.</summary>
    public bool AtEnd
    {
        get
        {
            if (_bits > _paddingBits) return false;
            return _position == _end && !FillBuffer();
        }
    }

    private void Refill()
    {
        if (TryRefill(ref _window, ref _bits)) return;
        while (_bits <= 56)
        {
            if (_position == _end && !FillBuffer())
            {
                ThrowIfPastEnd();
                _paddingBits += 64 - _bits;      // the window's tail is already zero
                _bits = 64;
                return;
            }
            _window |= (ulong)_buffer[_position++] << (56 - _bits);
            _bits += 8;
        }
    }

    private bool FillBuffer()
    {
        if (_paddingBits > 0) return false;
        _end = source.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _end > 0;
    }
}
