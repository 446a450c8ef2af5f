namespace OgActors.Imaging.Compression.Bzip2;

/// <summary>bzip2's move-to-front list as the block decoder's loop uses it (implemented by structs, so the loop is specialised and inlined).</summary>
internal interface IMoveToFront<TSelf> where TSelf : struct, IMoveToFront<TSelf>
{
    /// <summary>A list holding <paramref name="values"/> in order.</summary>
    static abstract TSelf Create(ReadOnlySpan<byte> values);

    /// <summary>Returns the value at <paramref name="index"/> and moves it to the front.</summary>
    byte Take(int index);
}
