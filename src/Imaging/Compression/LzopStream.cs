using System.Runtime.Intrinsics;
using System.Buffers.Binary;
using System.IO.Hashing;
using OgActors.Imaging.Streams;

namespace OgActors.Imaging.Compression;

/// <summary>
/// Reads an lzop file (as written by `lzop -c`, what OpenGnsys captures with) as its decompressed bytes:
/// parses the file header, then decodes block after block with <see cref="Lzo1x"/>, checking the per-block
/// Adler-32/CRC-32 checksums the header announces. Concatenated lzop files are read as one stream.
/// Malformed input throws <see cref="InvalidDataException"/>.
/// </summary>
public sealed class LzopStream : ReadOnlyStream
{
    public static ReadOnlySpan<byte> Magic => [0x89, 0x4C, 0x5A, 0x4F, 0x00, 0x0D, 0x0A, 0x1A, 0x0A];

    private const uint FlagAdler32D = 0x0001, FlagAdler32C = 0x0002, FlagExtraField = 0x0040,
        FlagCrc32D = 0x0100, FlagCrc32C = 0x0200, FlagFilter = 0x0800, FlagHeaderCrc32 = 0x1000, FlagMultipart = 0x0400;
    private const int MaxBlockSize = 64 * 1024 * 1024;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private uint _flags;
    private bool _inFile, _finished, _sawFile;
    private byte[] _compressed = [];
    private byte[] _block = [];
    private int _blockPos, _blockLen;

    public LzopStream(Stream compressed, bool leaveOpen = false)
    {
        _inner = compressed;
        _leaveOpen = leaveOpen;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_blockPos == _blockLen)
        {
            if (_finished || !NextBlock()) return 0;
        }
        int n = Math.Min(buffer.Length, _blockLen - _blockPos);
        _block.AsSpan(_blockPos, n).CopyTo(buffer);
        _blockPos += n;
        return n;
    }

    private bool NextBlock()
    {
        if (!_inFile)
        {
            Span<byte> magic = stackalloc byte[9];
            int got = ReadUpTo(magic);
            if (got == 0 && _sawFile) { _finished = true; return false; }   // clean end after at least one file
            if (got < 9 || !magic.SequenceEqual(Magic)) throw new InvalidDataException("not an lzop file (bad magic)");
            ReadFileHeader();
            _inFile = _sawFile = true;
        }

        uint dstLen = ReadU32("block header");
        if (dstLen == 0)
        {
            _inFile = false;         // end of this lzop file; another may follow (concatenated files)
            return true;
        }
        if (dstLen > MaxBlockSize) throw new InvalidDataException($"lzop block of {dstLen} bytes exceeds the 64 MiB limit");
        uint srcLen = ReadU32("block header");
        if (srcLen > dstLen || srcLen == 0) throw new InvalidDataException($"lzop block claims {srcLen} compressed bytes for {dstLen}");

        uint? adlerD = (_flags & FlagAdler32D) != 0 ? ReadU32("block checksum") : null;
        uint? crcD = (_flags & FlagCrc32D) != 0 ? ReadU32("block checksum") : null;
        bool stored = srcLen == dstLen;
        if (!stored)
        {
            if ((_flags & FlagAdler32C) != 0) ReadU32("block checksum");
            if ((_flags & FlagCrc32C) != 0) ReadU32("block checksum");
        }

        if (_compressed.Length < srcLen) _compressed = new byte[srcLen];
        if (_block.Length < dstLen) _block = new byte[dstLen];
        ReadExactly(_compressed.AsSpan(0, (int)srcLen), "block data");

        var data = _block.AsSpan(0, (int)dstLen);
        if (stored) _compressed.AsSpan(0, (int)srcLen).CopyTo(data);
        else
        {
            int n = Lzo1x.Decompress(_compressed.AsSpan(0, (int)srcLen), data);
            if (n != dstLen) throw new InvalidDataException($"lzop block decoded to {n} bytes, header says {dstLen}");
        }
        if (adlerD is { } a && Adler32(data) != a) throw new InvalidDataException("lzop block fails its Adler-32 check");
        if (crcD is { } c && Crc32.HashToUInt32(data) != c) throw new InvalidDataException("lzop block fails its CRC-32 check");
        _blockPos = 0;
        _blockLen = (int)dstLen;
        return true;
    }

    private void ReadFileHeader()
    {
        // Everything from the version to the header checksum is covered by that checksum.
        var header = new List<byte>(64);
        ushort version = ReadU16(header);
        ReadU16(header);                                   // library version
        if (version >= 0x0940) ReadU16(header);           // version needed to extract
        byte method = ReadU8(header);
        if (method is < 1 or > 3) throw new InvalidDataException($"unknown lzop method {method}");
        if (version >= 0x0940) ReadU8(header);            // level
        _flags = ReadU32(header);
        if ((_flags & FlagMultipart) != 0) throw new InvalidDataException("multipart lzop files are not supported");
        if ((_flags & FlagFilter) != 0) ReadU32(header);
        ReadU32(header);                                   // mode
        ReadU32(header);                                   // mtime low
        if (version >= 0x0940) ReadU32(header);           // mtime high
        int nameLen = ReadU8(header);
        for (int i = 0; i < nameLen; i++) ReadU8(header);
        uint expected = ReadU32("file header");
        var covered = header.ToArray();
        uint actual = (_flags & FlagHeaderCrc32) != 0 ? Crc32.HashToUInt32(covered) : Adler32(covered);
        if (actual != expected) throw new InvalidDataException("lzop file header fails its checksum");
        if ((_flags & FlagExtraField) != 0)
        {
            uint len = ReadU32("extra field");
            if (len > 1 << 20) throw new InvalidDataException("lzop extra field is implausibly large");
            var skip = new byte[len + 4];
            ReadExactly(skip, "extra field");
        }
    }

    internal static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint Mod = 65521;
        uint a = 1, b = 0;
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
        {
            // 32 bytes a step: a += Σx; b += 32·a(before) + Σ(32−j)·x_j, summed in vectors over ≤5536 bytes, then reduced.
            var weights = System.Runtime.Intrinsics.Vector256.Create((sbyte)32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
                16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
            var ones = System.Runtime.Intrinsics.Vector256.Create((short)1);
            while (data.Length >= 32)
            {
                int vectors = Math.Min(data.Length, 5536) / 32;
                var s1 = System.Runtime.Intrinsics.Vector256<uint>.Zero;
                var prior = System.Runtime.Intrinsics.Vector256<uint>.Zero;
                var s2 = System.Runtime.Intrinsics.Vector256<uint>.Zero;
                for (int i = 0; i < vectors; i++)
                {
                    var v = System.Runtime.Intrinsics.Vector256.Create<byte>(data.Slice(i * 32, 32));
                    prior += s1;
                    s1 += System.Runtime.Intrinsics.X86.Avx2.SumAbsoluteDifferences(v, System.Runtime.Intrinsics.Vector256<byte>.Zero).AsUInt32();
                    s2 += System.Runtime.Intrinsics.X86.Avx2.MultiplyAddAdjacent(
                        System.Runtime.Intrinsics.X86.Avx2.MultiplyAddAdjacent(v, weights), ones).AsUInt32();
                }
                ulong sum1 = SumLanes(s1);
                ulong bNext = b + 32ul * (ulong)vectors * a + 32ul * SumLanes(prior) + SumLanes(s2);
                a = (uint)((a + sum1) % Mod);
                b = (uint)(bNext % Mod);
                data = data[(vectors * 32)..];
            }
        }
        while (data.Length > 0)
        {
            int n = Math.Min(data.Length, 5552);
            foreach (byte x in data[..n]) { a += x; b += a; }
            a %= Mod;
            b %= Mod;
            data = data[n..];
        }
        return (b << 16) | a;
    }

    private static ulong SumLanes(System.Runtime.Intrinsics.Vector256<uint> v)
    {
        ulong sum = 0;
        for (int i = 0; i < System.Runtime.Intrinsics.Vector256<uint>.Count; i++) sum += v.GetElement(i);
        return sum;
    }

    private byte ReadU8(List<byte> header)
    {
        Span<byte> one = stackalloc byte[1];
        ReadExactly(one, "file header");
        header.Add(one[0]);
        return one[0];
    }

    private ushort ReadU16(List<byte> header) => (ushort)((ReadU8(header) << 8) | ReadU8(header));

    private uint ReadU32(List<byte> header) => (uint)((ReadU16(header) << 16) | ReadU16(header));

    private uint ReadU32(string where)
    {
        Span<byte> four = stackalloc byte[4];
        ReadExactly(four, where);
        return BinaryPrimitives.ReadUInt32BigEndian(four);
    }

    private void ReadExactly(Span<byte> buffer, string where)
    {
        if (ReadUpTo(buffer) != buffer.Length) throw new EndOfStreamException($"lzop stream ends inside its {where}");
    }

    private int ReadUpTo(Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = _inner.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen) _inner.Dispose();
        base.Dispose(disposing);
    }
}
