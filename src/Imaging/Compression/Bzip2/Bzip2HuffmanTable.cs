using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OgActors.Imaging.Compression.Bzip2;

/// <summary>
/// One of a block's Huffman coding tables (canonical codes, lengths 1..20, up to 258 symbols). Codes up to
/// <see cref="LookupBits"/> long decode with one table lookup; longer ones by walking the canonical code ranges.
/// </summary>
internal sealed class Bzip2HuffmanTable
{
    public const int MaxCodeLength = 20;

    /// <summary>What the alphabet's last symbol (end of block) decodes as: a constant, so the decoder's loop needs no register for it.</summary>
    public const int EndOfBlock = 0x1FF;
    private const int LookupBits = 10;
    private const int SymbolMask = 0x1FF;
    private const int LengthShift = 9;

    private readonly ushort[] _lookup = new ushort[1 << LookupBits];     // (length << 9) | symbol; 0 = a longer code
    private readonly int[] _firstCode = new int[MaxCodeLength + 1];
    private readonly int[] _countOfLength = new int[MaxCodeLength + 1];
    private readonly int[] _firstIndex = new int[MaxCodeLength + 1];
    private readonly ushort[] _sortedSymbols = new ushort[258];
    private int _maxLength;

    /// <summary>Builds the codes from each symbol's code length (the last symbol is <see cref="EndOfBlock"/>); throws <see cref="InvalidDataException"/> for lengths no prefix code has.</summary>
    public void Build(ReadOnlySpan<byte> lengths)
    {
        Array.Clear(_countOfLength);
        _maxLength = 0;
        foreach (var length in lengths)
        {
            _countOfLength[length]++;
            _maxLength = Math.Max(_maxLength, length);
        }
        int code = 0, index = 0;
        for (int length = 1; length <= MaxCodeLength; length++)
        {
            _firstCode[length] = code;
            _firstIndex[length] = index;
            code += _countOfLength[length];
            index += _countOfLength[length];
            if (code > 1 << length) throw new InvalidDataException("a bzip2 Huffman table has more codes than its lengths allow");
            code <<= 1;
        }
        Span<int> next = stackalloc int[MaxCodeLength + 1];
        _firstIndex.CopyTo(next);
        for (int symbol = 0; symbol < lengths.Length; symbol++)
            _sortedSymbols[next[lengths[symbol]]++] = (ushort)(symbol == lengths.Length - 1 ? EndOfBlock : symbol);

        Array.Clear(_lookup);
        for (int length = 1; length <= Math.Min(LookupBits, _maxLength); length++)
        {
            int span = 1 << (LookupBits - length);
            for (int k = 0; k < _countOfLength[length]; k++)
            {
                var entry = (ushort)((length << LengthShift) | _sortedSymbols[_firstIndex[length] + k]);
                _lookup.AsSpan((_firstCode[length] + k) * span, span).Fill(entry);
            }
        }
    }

    /// <summary>
    /// Decodes one symbol from a lent bit window (left-aligned, at least <see cref="MaxCodeLength"/> bits in it) and
    /// consumes its code.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Decode(ref ulong window, ref int bits)
    {
        // The index is LookupBits wide, so it is always inside the table: no bounds check.
        int entry = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_lookup), (nint)(window >> (64 - LookupBits)));
        if (entry == 0) return DecodeLong(ref window, ref bits);
        int length = entry >> LengthShift;
        window <<= length;
        bits -= length;
        return entry & SymbolMask;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]       // no call in the block decoder's loop (it would spill its vectors)
    private int DecodeLong(ref ulong window, ref int bits)
    {
        for (int length = LookupBits + 1; length <= _maxLength; length++)
        {
            int k = (int)(window >> (64 - length)) - _firstCode[length];
            if ((uint)k < (uint)_countOfLength[length])
            {
                window <<= length;
                bits -= length;
                return _sortedSymbols[_firstIndex[length] + k];
            }
        }
        throw NoSuchCode();
    }

    private static InvalidDataException NoSuchCode() => new("a bzip2 block holds a bit pattern that is no code of its Huffman table");
}
