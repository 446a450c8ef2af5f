using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OgActors.Imaging.Compression.Bzip2;

/// <summary>
/// bzip2's move-to-front list of byte values, held the other way round: each value's rank, in eight 32-byte vectors
/// (AVX2). Finding the value at index k is one compare per vector; moving it to the front is "ranks below k go up by
/// one, rank k becomes 0" — no shifting and no branches, and the update does not wait for the lookup. On random data,
/// where k averages 128, this is ~2.5× faster than shifting the list (which is what <see cref="MoveToFrontList"/> does
/// where AVX2 is missing). A local of this type lives in registers inside the block decoder's loop, which is why the
/// eight vectors are fields and their lines are written out: an indexable array of them would live in memory.
/// </summary>
internal struct MoveToFrontRanks : IMoveToFront<MoveToFrontRanks>
{
    // Ranks are biased (rank ^ 0x80) so that signed byte compares order them; values not in the list rank 255.
    private Vector256<sbyte> _r0, _r1, _r2, _r3, _r4, _r5, _r6, _r7;

    public static bool IsSupported => Avx2.IsSupported;

    public static MoveToFrontRanks Create(ReadOnlySpan<byte> values) => new(values);

    private MoveToFrontRanks(ReadOnlySpan<byte> values)
    {
        Span<byte> ranks = stackalloc byte[256];
        ranks.Fill(255 ^ 0x80);
        for (int i = 0; i < values.Length; i++) ranks[values[i]] = (byte)(i ^ 0x80);
        _r0 = Vector256.Create(ranks[..32]).AsSByte();
        _r1 = Vector256.Create(ranks[32..64]).AsSByte();
        _r2 = Vector256.Create(ranks[64..96]).AsSByte();
        _r3 = Vector256.Create(ranks[96..128]).AsSByte();
        _r4 = Vector256.Create(ranks[128..160]).AsSByte();
        _r5 = Vector256.Create(ranks[160..192]).AsSByte();
        _r6 = Vector256.Create(ranks[192..224]).AsSByte();
        _r7 = Vector256.Create(ranks[224..]).AsSByte();
    }

    // Byte i of this table is i: ANDed with a vector's hit mask, it leaves the hit value's number in its lane.
    private static ReadOnlySpan<byte> Values => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191, 192, 193, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255];

    /// <summary>Returns the value at <paramref name="index"/> (which must be in the list) and moves it to the front.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte Take(int index)
    {
        ref byte values = ref MemoryMarshal.GetReference(Values);
        var shift = Vector256.Create((sbyte)index);
        var k = shift ^ Vector256.Create(unchecked((sbyte)0x80));         // biased index
        // Ranks below k: minus −1. Rank k: minus k (`shift`), which wraps (biased) k to (biased) 0. Plain ALU ops, no blend.
        var hit = Avx2.CompareEqual(_r0, k); var found = hit.AsByte() & Vector256.LoadUnsafe(ref values, 0);
        _r0 -= Avx2.CompareGreaterThan(k, _r0) | (hit & shift);
        hit = Avx2.CompareEqual(_r1, k); found |= hit.AsByte() & Vector256.LoadUnsafe(ref values, 32);
        _r1 -= Avx2.CompareGreaterThan(k, _r1) | (hit & shift);
        hit = Avx2.CompareEqual(_r2, k); found |= hit.AsByte() & Vector256.LoadUnsafe(ref values, 64);
        _r2 -= Avx2.CompareGreaterThan(k, _r2) | (hit & shift);
        hit = Avx2.CompareEqual(_r3, k); found |= hit.AsByte() & Vector256.LoadUnsafe(ref values, 96);
        _r3 -= Avx2.CompareGreaterThan(k, _r3) | (hit & shift);
        hit = Avx2.CompareEqual(_r4, k); found |= hit.AsByte() & Vector256.LoadUnsafe(ref values, 128);
        _r4 -= Avx2.CompareGreaterThan(k, _r4) | (hit & shift);
        hit = Avx2.CompareEqual(_r5, k); found |= hit.AsByte() & Vector256.LoadUnsafe(ref values, 160);
        _r5 -= Avx2.CompareGreaterThan(k, _r5) | (hit & shift);
        hit = Avx2.CompareEqual(_r6, k); found |= hit.AsByte() & Vector256.LoadUnsafe(ref values, 192);
        _r6 -= Avx2.CompareGreaterThan(k, _r6) | (hit & shift);
        hit = Avx2.CompareEqual(_r7, k); found |= hit.AsByte() & Vector256.LoadUnsafe(ref values, 224);
        _r7 -= Avx2.CompareGreaterThan(k, _r7) | (hit & shift);
        var sums = Avx2.SumAbsoluteDifferences(found, Vector256<byte>.Zero).AsUInt64();
        var half = sums.GetLower() | sums.GetUpper();
        return (byte)(half.ToScalar() | half.GetElement(1));
    }
}
