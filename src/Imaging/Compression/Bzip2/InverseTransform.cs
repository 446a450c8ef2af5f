using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OgActors.Imaging.Compression.Bzip2;

/// <summary>
/// The inverse Burrows–Wheeler transform of one block, walked one byte at a time. The walk needs, for each position j,
/// the position that follows it: the (j − C[c])-th occurrence of c in the transformed bytes, c being the byte whose
/// bucket holds j. bzip2 computes all of them first (the "T vector", a scattered write per byte: ~2 ms for a 900 kB
/// block); reading an image's head needs only a few thousand, so the walk first answers each one by counting
/// occurrences from the nearest checkpoint (the occurrences of every byte before each 2 KiB boundary, recorded by the
/// block decoder as it writes), and links the whole block only once the walk has gone far enough to make that cheaper.
/// <para>States: <c>checkpointed</c> → (after <see cref="StepsBeforeLinking"/> steps) <c>linked</c>.</para>
/// </summary>
internal sealed class InverseTransform : IDisposable
{
    public const int CheckpointBits = 11;
    public const int CheckpointInterval = 1 << CheckpointBits;
    private const int StepsBeforeLinking = 16 * 1024;

    private readonly int[] _bucketStart = new int[257];
    private int _length;
    private bool _linked;
    private int _steps;

    /// <param name="capacity">The largest block it will hold.</param>
    public InverseTransform(int capacity)
    {
        // Pooled: 5 MB of fresh memory per image inspected would cost more in page faults than the lazy walk saves.
        Transformed = ArrayPool<byte>.Shared.Rent(capacity + Vector256<byte>.Count);      // the scan reads whole vectors
        Stride = capacity / CheckpointInterval + 1;
        Occurrences = ArrayPool<int>.Shared.Rent(256 * Stride);
        Next = ArrayPool<int>.Shared.Rent(capacity);
    }

    /// <summary>The block's bytes as the transform left them (the "L" column), written by the block decoder.</summary>
    public byte[] Transformed { get; }

    /// <summary>
    /// Checkpoints written by the block decoder: entry <c>[c × Stride + i]</c> counts the bytes c before position
    /// i × <see cref="CheckpointInterval"/>.
    /// </summary>
    public int[] Occurrences { get; }

    public int Stride { get; }

    private int[] Next { get; }

    /// <summary>Starts the walk over a freshly decoded block; returns the first position (the one after <paramref name="origin"/>).</summary>
    public int Begin(int length, ReadOnlySpan<int> counts, int origin)
    {
        (_length, _linked, _steps) = (length, false, 0);
        int sum = 0;
        for (int c = 0; c < 256; c++)
        {
            _bucketStart[c] = sum;
            sum += counts[c];
        }
        _bucketStart[256] = sum;
        return Follow(origin);
    }

    /// <summary>Returns the byte at <paramref name="position"/> and moves it to the next one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte Walk(ref int position)
    {
        byte value = Transformed[position];
        position = _linked ? Next[position] : Follow(position);
        return value;
    }

    private int Follow(int position)
    {
        if (++_steps <= StepsBeforeLinking) return Select(position);
        Link();
        return Next[position];
    }

    /// <summary>The position that follows <paramref name="position"/>, from the checkpoints.</summary>
    private int Select(int position)
    {
        var starts = _bucketStart;
        int c = 0;                                            // the last byte value whose bucket starts at or before the position
        for (int step = 128; step > 0; step >>= 1)
            if (starts[c + step] <= position) c += step;
        int rank = position - starts[c];                      // the wanted occurrence of c, counting from 0

        // The last checkpoint with at most `rank` occurrences before it.
        ref int row = ref Occurrences[c * Stride];
        int low = 0, high = (_length - 1) >> CheckpointBits;
        while (low < high)
        {
            int middle = (low + high + 1) >> 1;
            if (Unsafe.Add(ref row, middle) <= rank) low = middle;
            else high = middle - 1;
        }
        int at = low << CheckpointBits, wanted = rank - Unsafe.Add(ref row, low);

        ref byte bytes = ref MemoryMarshal.GetArrayDataReference(Transformed);
        var target = Vector256.Create((byte)c);
        while (true)
        {
            uint hits = Vector256.Equals(Vector256.LoadUnsafe(ref bytes, (nuint)at), target).ExtractMostSignificantBits();
            int found = BitOperations.PopCount(hits);
            if (wanted < found)
            {
                for (; wanted > 0; wanted--) hits &= hits - 1;
                return at + BitOperations.TrailingZeroCount(hits);
            }
            wanted -= found;
            at += Vector256<byte>.Count;
        }
    }

    /// <summary>Links every position to the one that follows it (bzip2's "T vector").</summary>
    private void Link()
    {
        Span<int> next = stackalloc int[256];
        _bucketStart.AsSpan(0, 256).CopyTo(next);
        var transformed = Transformed;
        var links = Next;
        for (int i = 0; i < _length; i++) links[next[transformed[i]]++] = i;
        _linked = true;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(Transformed);
        ArrayPool<int>.Shared.Return(Occurrences);
        ArrayPool<int>.Shared.Return(Next);
    }
}
