using OgActors.Imaging.Streams;

namespace OgActors.Imaging.Compression.Bzip2;

/// <summary>
/// Decompresses bzip2, including several streams back to back (pbzip2/lbzip2 output, `cat a.bz2 b.bz2`), checking every
/// block CRC and stream CRC. Written here rather than taken from a package because of one property the packages lack:
/// a block's inverse Burrows–Wheeler transform runs only as far as the bytes read, so reading an image's first kilobytes
/// costs the decoding of its first block's symbols but not the walk over all of its (up to 900 kB) bytes.
/// <para>States: <c>header</c> (expects "BZh1".."BZh9", or the end of the file after a first stream) → <c>blocks</c>
/// (block magic → a block is read and walked as it is consumed; end-of-stream magic → stream CRC, byte alignment,
/// back to <c>header</c>) → <c>end</c>.</para>
/// </summary>
public sealed class Bzip2Stream(Stream compressed, bool leaveOpen = false) : ReadOnlyStream
{
    /// <summary>Decodes with the portable move-to-front list even where AVX2 is present (tests cover both paths).</summary>
    internal bool PortableMoveToFront { get; init; }

    private const ulong BlockMagic = 0x314159265359;
    private const ulong EndOfStreamMagic = 0x177245385090;

    private readonly MsbBitReader _bits = new(compressed);
    private Bzip2Block? _block;
    private bool _inStream;
    private bool _atEnd;
    private int _streams;
    private uint _streamCrc;

    // The block being output: the walk's position and bytes left, the run-length stage's state, the running CRC.
    private bool _inBlock;
    private int _position;
    private int _left;
    private int _lastByte = -1;
    private int _runLength;
    private int _repeats;
    private uint _crc;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int written = 0;
        while (written < buffer.Length)
        {
            if (_repeats > 0)
            {
                int n = Math.Min(_repeats, buffer.Length - written);
                buffer.Slice(written, n).Fill((byte)_lastByte);
                _crc = Bzip2Crc.Update(_crc, (byte)_lastByte, n);
                _repeats -= n;
                written += n;
                continue;
            }
            if (_left == 0)
            {
                if (!NextBlock()) break;
                continue;
            }
            written += Undo(buffer[written..]);
        }
        return written;
    }

    /// <summary>Walks the block into <paramref name="output"/>, undoing bzip2's first stage (4 equal bytes, then a count of more).</summary>
    private int Undo(Span<byte> output)
    {
        var block = _block!;
        int position = _position, left = _left, last = _lastByte, runLength = _runLength, written = 0;
        uint crc = _crc;
        while (written < output.Length && left > 0)
        {
            byte b = block.Walk(ref position);
            left--;
            if (runLength == 4)
            {
                _repeats = b;
                runLength = 0;
                if (b > 0) break;
                continue;
            }
            output[written++] = b;
            crc = Bzip2Crc.Update(crc, b);
            if (b == last) runLength++;
            else
            {
                last = b;
                runLength = 1;
            }
        }
        (_position, _left, _lastByte, _runLength, _crc) = (position, left, last, runLength, crc);
        return written;
    }

    /// <summary>Checks the finished block, then reads the next one; false at the end of the file.</summary>
    private bool NextBlock()
    {
        if (_inBlock)
        {
            uint crc = Bzip2Crc.Final(_crc);
            if (crc != _block!.ExpectedCrc) throw new InvalidDataException("a bzip2 block's data does not match its CRC");
            _streamCrc = ((_streamCrc << 1) | (_streamCrc >> 31)) ^ crc;
            _inBlock = false;
        }
        while (!_atEnd)
        {
            if (!_inStream)
            {
                if (!ReadStreamHeader()) return false;
                continue;
            }
            ulong magic = ((ulong)_bits.Read(24) << 24) | _bits.Read(24);
            if (magic == BlockMagic)
            {
                _block!.Read();
                (_inBlock, _position, _left, _lastByte, _runLength, _crc) = (true, _block.Start, _block.Length, -1, 0, Bzip2Crc.Initial);
                return true;
            }
            if (magic != EndOfStreamMagic) throw new InvalidDataException("a bzip2 stream holds something that is neither a block nor its end");
            if (_bits.Read(32) != _streamCrc) throw new InvalidDataException("a bzip2 stream's data does not match its CRC");
            _bits.AlignToByte();
            _inStream = false;
        }
        return false;
    }

    private bool ReadStreamHeader()
    {
        if (_streams > 0 && _bits.AtEnd)
        {
            _atEnd = true;
            return false;
        }
        bool magic = _bits.Read(8) == 'B' && _bits.Read(8) == 'Z' && _bits.Read(8) == 'h';
        uint level = _bits.Read(8) - '0';
        if (!magic || level is < 1 or > 9)
            throw new InvalidDataException(_streams == 0 ? "the data is not a bzip2 stream" : "data after a bzip2 stream is not another bzip2 stream");
        _bits.ThrowIfPastEnd();
        if (_block is null || _block.Capacity < level * 100_000)
        {
            _block?.Dispose();
            _block = new Bzip2Block(_bits, (int)level * 100_000) { UseRanks = MoveToFrontRanks.IsSupported && !PortableMoveToFront };
        }
        _block.BlockSizeMax = (int)level * 100_000;
        _streams++;
        _streamCrc = 0;
        _inStream = true;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _block?.Dispose();
            _block = null;
            if (!leaveOpen) compressed.Dispose();
        }
        base.Dispose(disposing);
    }
}
