using OgActors.Imaging.Compression;
using OgActors.Imaging.Formats;
using OgActors.Imaging.Tests.Fixtures;

namespace OgActors.Imaging.Tests.Compression;

/// <summary>Our LZO1X decoder and lzop reader against the real `lzop`.</summary>
public sealed class LzopTests : IDisposable
{
    private readonly ImageFactory _factory = new("lzop");

    public void Dispose() => _factory.Dispose();

    /// <summary>Mixed content: text (compresses well), zeros (long matches), random bytes (stored raw by lzop).</summary>
    private byte[] Sample(int size, int seed)
    {
        var rng = new Random(seed);
        var data = new byte[size];
        int pos = 0;
        while (pos < size)
        {
            int kind = rng.Next(3), len = Math.Min(size - pos, rng.Next(1, 300_000));
            var span = data.AsSpan(pos, len);
            if (kind == 0) for (int i = 0; i < len; i++) span[i] = (byte)"the quick brown fox jumps over the lazy dog 0123456789\n"[(i + pos) % 55];
            else if (kind == 1) rng.NextBytes(span);
            pos += len;
        }
        return data;
    }

    private byte[] Decode(string path)
    {
        using var lzop = new LzopStream(File.OpenRead(path));
        using var ms = new MemoryStream();
        lzop.CopyTo(ms);
        return ms.ToArray();
    }

    [Theory]
    [InlineData(1, "-1")]
    [InlineData(100, "-3")]
    [InlineData(256 * 1024, "-3")]          // exactly one lzop block
    [InlineData(256 * 1024 + 1, "-7")]      // a 1-byte last block
    [InlineData(3_000_000, "-1")]           // many blocks, some incompressible (stored raw)
    [InlineData(3_000_000, "-9")]           // LZO1X-999
    [InlineData(1_000_000, "--crc32")]      // CRC-32 block checksums instead of Adler-32
    [InlineData(1_000_000, "--no-checksum")]
    public void Decodes_real_lzop_output(int size, string option)
    {
        var data = Sample(size, size ^ option.Length);
        var input = _factory.Bytes($"in-{size}{option}", data);
        var lzo = _factory.Compress(input, Compressor.Lzop, options: option);
        Decode(lzo).Should().Equal(data);
    }

    [Fact]
    public void Incompressible_blocks_are_stored_and_read_raw()
    {
        var data = new byte[600_000];
        new Random(9).NextBytes(data);
        var lzo = _factory.Compress(_factory.Bytes("random", data), Compressor.Lzop);
        new FileInfo(lzo).Length.Should().BeGreaterThan(data.Length, "lzop stores random blocks raw, plus headers");
        Decode(lzo).Should().Equal(data);
    }

    [Fact]
    public void Empty_input_decodes_to_nothing() =>
        Decode(_factory.Compress(_factory.Bytes("empty", []), Compressor.Lzop)).Should().BeEmpty();

    [Fact]
    public void Corrupt_block_fails_its_checksum_or_the_decoder()
    {
        var data = Sample(500_000, 5);
        var lzo = _factory.Compress(_factory.Bytes("c", data), Compressor.Lzop);
        for (long offset = 100; offset < new FileInfo(lzo).Length; offset += 7919)
        {
            var bad = _factory.CorruptedCopy(lzo, offset, $"bad-{offset}");
            var act = () => Decode(bad);
            act.Should().Throw<Exception>().Where(e => e is InvalidDataException || e is EndOfStreamException, $"offset {offset}");
        }
    }

    [Fact]
    public void Lzo1x_rejects_out_of_range_matches_without_touching_memory_outside_its_buffers()
    {
        // 0x11 0x00 0x00 is the end marker; a match at the very start refers before the output.
        var bad = new byte[] { 0x40, 0x00, 0x11, 0x00, 0x00 };
        var act = () => Lzo1x.Decompress(bad, new byte[64]);
        act.Should().Throw<InvalidDataException>();
    }
}
