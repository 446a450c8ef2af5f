using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OgActors.Imaging.Compression.Bzip2;

/// <summary>
/// Decodes one bzip2 block up to its Burrows–Wheeler-transformed bytes, and prepares the inverse transform so that
/// the block's bytes can then be produced one at a time (<see cref="Walk"/>): the caller pays for the inverse
/// transform of only the bytes it reads, which is what lets an image's head be read without decoding its whole first block.
/// <para>Layout: block CRC (32 bits), randomised flag (1), origin pointer (24), the 256-bit map of bytes used
/// (16 + 16 × 16), the number of Huffman tables (3) and of 50-symbol groups (15), each group's table (move-to-front,
/// unary), each table's code lengths (delta coded), then the symbols: zero runs in bijective base 2 (RUNA/RUNB),
/// move-to-front indexes, end of block.</para>
/// </summary>
internal sealed class Bzip2Block : IDisposable
{
    private const int RunA = 0;
    private const int RunB = 1;
    private const int GroupSize = 50;
    private const int MaxTables = 6;
    private const int MaxSelectors = 2 + 900_000 / GroupSize;

    private readonly MsbBitReader _bits;
    private readonly Bzip2HuffmanTable[] _tables = [.. Enumerable.Range(0, MaxTables).Select(_ => new Bzip2HuffmanTable())];
    private readonly byte[] _selectors = new byte[MaxSelectors];
    private readonly byte[] _codeLengths = new byte[258];
    private readonly InverseTransform _inverse;
    private ByteCounts _byteCounts;                             // inside the object: the loop reaches it through `this`, no register of its own

    [InlineArray(256)]
    private struct ByteCounts
    {
        private int _count;
    }

    /// <param name="capacity">The largest block size it will hold (a stream's level × 100,000 bytes).</param>
    public Bzip2Block(MsbBitReader bits, int capacity)
    {
        _bits = bits;
        _inverse = new InverseTransform(capacity);
        Capacity = capacity;
        BlockSizeMax = capacity;
    }

    public void Dispose() => _inverse.Dispose();

    public int Capacity { get; }

    /// <summary>Whether the move-to-front stage uses <see cref="MoveToFrontRanks"/> (AVX2) or <see cref="MoveToFrontList"/>.</summary>
    public bool UseRanks { get; init; } = MoveToFrontRanks.IsSupported;

    /// <summary>The current stream's block size (its level × 100,000 bytes): no block of it may hold more.</summary>
    public int BlockSizeMax { get; set; }

    /// <summary>The CRC the block's output must have.</summary>
    public uint ExpectedCrc { get; private set; }

    /// <summary>The number of transformed bytes in the block.</summary>
    public int Length { get; private set; }

    /// <summary>The first position of the inverse-transform walk.</summary>
    public int Start { get; private set; }

    /// <summary>Reads the block that follows the block magic.</summary>
    public void Read()
    {
        ExpectedCrc = _bits.Read(32);
        if (_bits.ReadBit())
            throw new InvalidDataException("the bzip2 stream uses randomised blocks (bzip2 0.9.0 and older), which are not supported");
        int origin = (int)_bits.Read(24);
        Span<byte> symbolToByte = stackalloc byte[256];
        int bytesUsed = ReadByteMap(symbolToByte);
        symbolToByte = symbolToByte[..bytesUsed];
        int tableCount = (int)_bits.Read(3);
        if (tableCount is < 2 or > MaxTables) throw new InvalidDataException($"a bzip2 block declares {tableCount} Huffman tables (2 to 6 are valid)");
        int selectorCount = ReadSelectors(tableCount);
        ReadTables(tableCount, bytesUsed + 2);
        Length = UseRanks
            ? DecodeSymbols<MoveToFrontRanks>(symbolToByte, selectorCount)
            : DecodeSymbols<MoveToFrontList>(symbolToByte, selectorCount);
        _bits.ThrowIfPastEnd();
        if (origin >= Length) throw new InvalidDataException($"a bzip2 block's origin pointer {origin} is outside its {Length} bytes");
        Start = _inverse.Begin(Length, _byteCounts, origin);
    }

    /// <summary>
    /// One step of the inverse transform: returns the byte at <paramref name="position"/> and moves it to the next one.
    /// Starting at <see cref="Start"/>, <see cref="Length"/> steps give the block's bytes in order (before bzip2's first
    /// run-length stage is undone).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte Walk(ref int position) => _inverse.Walk(ref position);

    private int ReadByteMap(Span<byte> symbolToByte)
    {
        int count = 0;
        uint ranges = _bits.Read(16);
        for (int range = 0; range < 16; range++)
        {
            if ((ranges & (0x8000u >> range)) == 0) continue;
            uint used = _bits.Read(16);
            for (int j = 0; j < 16; j++)
                if ((used & (0x8000u >> j)) != 0) symbolToByte[count++] = (byte)(range * 16 + j);
        }
        if (count == 0) throw new InvalidDataException("a bzip2 block uses no byte values");
        return count;
    }

    private int ReadSelectors(int tableCount)
    {
        int declared = (int)_bits.Read(15);
        if (declared == 0) throw new InvalidDataException("a bzip2 block declares no symbol groups");
        Span<byte> order = stackalloc byte[MaxTables];
        for (int t = 0; t < tableCount; t++) order[t] = (byte)t;
        _bits.Lend(out ulong window, out int bits);               // up to 18,001 unary codes: read them from the window
        for (int i = 0; i < declared; i++)
        {
            if (bits < MaxTables + 1) _bits.Refill(ref window, ref bits);
            int index = BitOperations.LeadingZeroCount(~window);   // the code is `index` ones and a zero
            if (index >= tableCount) throw new InvalidDataException("a bzip2 block selects a Huffman table it does not have");
            window <<= index + 1;
            bits -= index + 1;
            byte table = order[index];
            for (int j = index; j > 0; j--) order[j] = order[j - 1];
            order[0] = table;
            if (i < MaxSelectors) _selectors[i] = table;          // as bzip2 1.0.8: extra selectors are read and ignored
        }
        _bits.Return(window, bits);
        return Math.Min(declared, MaxSelectors);
    }

    private void ReadTables(int tableCount, int alphabetSize)
    {
        for (int t = 0; t < tableCount; t++)
        {
            int length = (int)_bits.Read(5);
            for (int symbol = 0; symbol < alphabetSize; symbol++)
            {
                while (true)
                {
                    if (length is < 1 or > Bzip2HuffmanTable.MaxCodeLength)
                        throw new InvalidDataException($"a bzip2 Huffman table has a code of length {length} (1 to 20 are valid)");
                    if (!_bits.ReadBit()) break;
                    length += _bits.ReadBit() ? -1 : 1;
                }
                _codeLengths[symbol] = (byte)length;
            }
            _tables[t].Build(_codeLengths.AsSpan(0, alphabetSize));
        }
    }

    /// <summary>The symbol loop's state between <see cref="DecodeUntilRefill"/>'s returns.</summary>
    private struct SymbolLoop
    {
        public ulong Window;              // the lent bit window
        public int Bits;
        public int Length;                // bytes written
        public int Run, RunWeight;        // a zero run being added up
        public int Group, Left;           // the 50-symbol group: its number, symbols left in it
        public Bzip2HuffmanTable Table;   // the group's Huffman table
        public int SelectorCount;
        public byte Front;                // the value at the front of the move-to-front list
        public bool Ended;
    }

    /// <summary>Decodes the symbols into the transformed bytes (Huffman codes, zero runs and move-to-front undone); returns their number.</summary>
    private int DecodeSymbols<TList>(ReadOnlySpan<byte> symbolToByte, int selectorCount) where TList : struct, IMoveToFront<TList>
    {
        ((Span<int>)_byteCounts).Clear();
        var list = TList.Create(symbolToByte);
        var loop = new SymbolLoop { RunWeight = 1, Front = symbolToByte[0], Table = _tables[0], SelectorCount = selectorCount };
        _bits.Lend(out loop.Window, out loop.Bits);
        try
        {
            while (true)
            {
                DecodeUntilRefill(ref list, ref loop);
                if (loop.Ended) break;
                _bits.Refill(ref loop.Window, ref loop.Bits);
            }
        }
        catch (InvalidDataException) when (_bits.ReachedEnd)
        {
            throw new EndOfStreamException("the bzip2 stream ends in the middle of a block");
        }
        _bits.Return(loop.Window, loop.Bits);
        return loop.Length;
    }

    /// <summary>
    /// The hot loop: runs until the block ends or the bit buffer needs the stream. It makes no call (a call would make
    /// the JIT keep the move-to-front vectors in memory) and keeps few values in registers (what is needed once per
    /// group or per checkpoint is read from <paramref name="loop"/> or fields then); the scalar Huffman work overlaps
    /// the vector move-to-front work in the core.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]       // runs a few times per block: no point in a tier-0 version
    private void DecodeUntilRefill<TList>(ref TList listHome, ref SymbolLoop loop) where TList : struct, IMoveToFront<TList>
    {
        var list = listHome;
        ref byte bytes = ref MemoryMarshal.GetArrayDataReference(_inverse.Transformed);
        ulong window = loop.Window;
        int bits = loop.Bits, length = loop.Length, left = loop.Left;          // a zero run stays in `loop` (rare on hard data)
        byte front = loop.Front;
        var table = loop.Table;
        bool ended = false;
        while (true)
        {
            if (left == 0)
            {
                if (loop.Group == loop.SelectorCount) throw new InvalidDataException("a bzip2 block has more symbols than its groups allow");
                table = _tables[_selectors[loop.Group++]];
                left = GroupSize;
            }
            if (bits < Bzip2HuffmanTable.MaxCodeLength && !_bits.TryRefill(ref window, ref bits)) break;
            left--;
            int symbol = table.Decode(ref window, ref bits);
            if (symbol <= RunB)
            {
                loop.Run += loop.RunWeight << symbol;                // RUNA adds 1 × weight, RUNB 2 × weight
                loop.RunWeight <<= 1;
                if (loop.Run > BlockSizeMax) throw TooManyBytes();
                continue;
            }
            if (loop.Run > 0)
            {
                int run = loop.Run;
                if (length + run > BlockSizeMax) throw TooManyBytes();
                while (run > 0)                                      // a zero run repeats the front value
                {
                    if ((length & (InverseTransform.CheckpointInterval - 1)) == 0) Checkpoint(length);
                    int piece = Math.Min(run, InverseTransform.CheckpointInterval - (length & (InverseTransform.CheckpointInterval - 1)));
                    Repeat(front, ref bytes, length, piece);
                    _byteCounts[front] += piece;
                    length += piece;
                    run -= piece;
                }
                (loop.Run, loop.RunWeight) = (0, 1);
            }
            if (symbol == Bzip2HuffmanTable.EndOfBlock)
            {
                ended = true;
                break;
            }
            if (length == BlockSizeMax) throw TooManyBytes();
            if ((length & (InverseTransform.CheckpointInterval - 1)) == 0) Checkpoint(length);
            front = list.Take(symbol - 1);
            _byteCounts[front]++;
            Unsafe.Add(ref bytes, length++) = front;                 // length < BlockSizeMax <= the array's length
        }
        listHome = list;
        (loop.Window, loop.Bits, loop.Length) = (window, bits, length);
        (loop.Left, loop.Table, loop.Front, loop.Ended) = (left, table, front, ended);
    }

    private static InvalidDataException TooManyBytes() => new("a bzip2 block holds more bytes than its block size");

    /// <summary>Records how many of each byte precede <paramref name="position"/> (a multiple of the checkpoint interval); inlined, not a call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Checkpoint(int position)
    {
        int stride = _inverse.Stride;
        ref int counts = ref _byteCounts[0];
        ref int column = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_inverse.Occurrences), position >> InverseTransform.CheckpointBits);
        for (int c = 0; c < 256; c++) Unsafe.Add(ref column, c * stride) = Unsafe.Add(ref counts, c);
    }

    /// <summary>Writes <paramref name="count"/> copies of <paramref name="value"/> (a loop, not a call: see <see cref="DecodeUntilRefill"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Repeat(byte value, ref byte output, int at, int count)
    {
        ref byte start = ref Unsafe.Add(ref output, at);                // at + count <= the array's length is checked by the caller
        int i = 0;
        if (count >= 32)
        {
            var copies = Vector256.Create(value);
            for (; i <= count - 32; i += 32) copies.StoreUnsafe(ref start, (nuint)i);
        }
        for (; i < count; i++) Unsafe.Add(ref start, i) = value;
    }
}
