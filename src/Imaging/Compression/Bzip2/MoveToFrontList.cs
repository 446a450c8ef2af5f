namespace OgActors.Imaging.Compression.Bzip2;

/// <summary>bzip2's move-to-front list, shifted byte by byte: the portable fallback of <see cref="MoveToFrontRanks"/>.</summary>
internal readonly struct MoveToFrontList(ReadOnlySpan<byte> values) : IMoveToFront<MoveToFrontList>
{
    public static MoveToFrontList Create(ReadOnlySpan<byte> values) => new(values);

    private readonly byte[] _values = values.ToArray();

    public byte Take(int index)
    {
        var values = _values;
        byte value = values[index];
        Array.Copy(values, 0, values, 1, index);
        values[0] = value;
        return value;
    }
}
