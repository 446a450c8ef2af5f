namespace OgActors.Imaging.Compression.Bzip2;

/// <summary>bzip2's CRC-32: polynomial 0x04C11DB7 fed most significant bit first (not the reflected zlib CRC).</summary>
internal static class Bzip2Crc
{
    private static readonly uint[] Table = CreateTable();

    public const uint Initial = 0xFFFFFFFF;

    public static uint Update(uint crc, byte value) => (crc << 8) ^ Table[(crc >> 24) ^ value];

    public static uint Update(uint crc, byte value, int times)
    {
        for (int i = 0; i < times; i++) crc = Update(crc, value);
        return crc;
    }

    public static uint Final(uint crc) => ~crc;

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i << 24;
            for (int k = 0; k < 8; k++) c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
            table[i] = c;
        }
        return table;
    }
}
