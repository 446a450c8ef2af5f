using OgActors.Imaging.Compression.Bzip2;
using OgActors.Imaging.Formats;
using OgActors.Imaging.Tests.Fixtures;

namespace OgActors.Imaging.Tests.Compression;

/// <summary>
/// Our bzip2 decoder against the real `bzip2` CLI: every kind of data, both block sizes, every way of reading
/// (whole, odd chunks, only the head), several streams, and every kind of damage.
/// </summary>
public sealed class Bzip2Tests : IDisposable
{
    private readonly ImageFactory _factory = new("bzip2");

    public void Dispose() => _factory.Dispose();

    /// <summary>Deterministic data sets that reach the decoder's different paths.</summary>
    public static TheoryData<string, string> DataAndLevels()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in new[] { "random", "zeros", "text", "runs", "two-values", "every-byte", "one-byte", "empty" })
        foreach (var level in new[] { "-1", "-9" })
            data.Add(name, level);
        return data;
    }

    private static byte[] Make(string name)
    {
        var rng = new Random(name.GetHashCode(StringComparison.Ordinal) & 0xFFFF);
        switch (name)
        {
            case "random":                                        // incompressible: every move-to-front index, three 900 k blocks
                var random = new byte[2_500_000];
                rng.NextBytes(random);
                return random;
            case "zeros":                                         // the first run-length stage and long zero runs
                return new byte[3_000_000];
            case "text":
                return System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 60_000).Select(i => $"line {i} of the fixture {i % 7}\n")));
            case "runs":                                          // runs of 1..300 equal bytes: the 4-byte + count stage's edges
                var runs = new List<byte>();
                while (runs.Count < 1_200_000) runs.AddRange(Enumerable.Repeat((byte)rng.Next(256), rng.Next(1, 301)));
                return [.. runs];
            case "two-values":                                    // a two-value alphabet
                return [.. Enumerable.Range(0, 500_000).Select(_ => rng.Next(2) == 0 ? (byte)'a' : (byte)'b')];
            case "every-byte":
                return [.. Enumerable.Range(0, 700_000).Select(i => (byte)(i * 7 % 256))];
            case "one-byte":
                return [42];
            case "empty":
                return [];
            default:
                throw new ArgumentOutOfRangeException(nameof(name));
        }
    }

    private string Compressed(string name, byte[] data, string level)
    {
        var input = _factory.Bytes($"{name}{level}", data);
        return _factory.Compress(input, Compressor.Bzip2, $"{name}{level}.bz2", false, level);
    }

    private static byte[] Decode(string path, int chunk = 81_920, bool portable = false)
    {
        using var stream = new Bzip2Stream(File.OpenRead(path)) { PortableMoveToFront = portable };
        using var output = new MemoryStream();
        var buffer = new byte[chunk];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0) output.Write(buffer, 0, n);
        return output.ToArray();
    }

    [Theory]
    [MemberData(nameof(DataAndLevels))]
    public void Real_bzip2_output_decodes_to_the_original(string name, string level)
    {
        var data = Make(name);
        var path = Compressed(name, data, level);
        Decode(path).Should().Equal(data);
        Decode(path, chunk: 7_777).Should().Equal(data);             // reads that end inside runs and blocks
        Decode(path, portable: true).Should().Equal(data);            // the path of machines without AVX2
    }

    [Theory]
    [InlineData("random", 4096)]
    [InlineData("random", 40_000)]                                   // past the checkpointed walk: the block gets linked
    [InlineData("runs", 4096)]
    [InlineData("text", 100)]
    public void Reading_only_the_head_gives_the_first_bytes(string name, int headBytes)
    {
        var data = Make(name);
        var path = Compressed(name, data, "-9");
        using var stream = new Bzip2Stream(File.OpenRead(path));
        var head = new byte[headBytes];
        stream.ReadExactly(head);
        head.Should().Equal(data.AsSpan(0, headBytes).ToArray());
    }

    [Fact]
    public void Streams_of_different_block_sizes_back_to_back_decode_as_one()
    {
        var small = Make("text");
        var large = Make("random");
        var joined = _factory.Concatenate("mixed.bz2", Compressed("a", small, "-1"), Compressed("b", large, "-9"), Compressed("c", small, "-2"));
        Decode(joined).Should().Equal([.. small, .. large, .. small]);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void A_truncated_stream_is_reported_as_truncated(double keep)
    {
        var path = Compressed("random", Make("random"), "-9");
        var cut = _factory.TruncatedCopy(path, (long)(new FileInfo(path).Length * keep), $"cut-{keep}.bz2");
        var decode = () => Decode(cut);
        decode.Should().Throw<EndOfStreamException>();
    }

    [Fact]
    public void A_damaged_block_is_rejected()
    {
        var path = Compressed("text", Make("text"), "-9");
        var damaged = _factory.CorruptedCopy(path, new FileInfo(path).Length / 2, "damaged.bz2");
        var decode = () => Decode(damaged);
        decode.Should().Throw<Exception>().Which.Should().Match<Exception>(e => e.GetType() == typeof(InvalidDataException) || e.GetType() == typeof(EndOfStreamException));
    }

    [Fact]
    public void A_wrong_block_crc_is_rejected()
    {
        var path = Compressed("text", Make("text"), "-9");
        var damaged = _factory.CorruptedCopy(path, 4 + 6, "crc.bz2");   // "BZh9", the block magic, then the block's CRC
        var decode = () => Decode(damaged);
        decode.Should().Throw<InvalidDataException>().WithMessage("*block's data does not match its CRC*");
    }

    [Fact]
    public void A_wrong_stream_crc_is_rejected()
    {
        var path = Compressed("one-byte", Make("one-byte"), "-9");
        // The stream ends with the end-of-stream magic, its CRC and padding to a byte: the CRC's last byte is 1 or 2 from the end.
        var damaged = _factory.CorruptedCopy(path, new FileInfo(path).Length - 2, "stream-crc.bz2");
        var decode = () => Decode(damaged);
        decode.Should().Throw<InvalidDataException>().WithMessage("*CRC*");
    }

    [Fact]
    public void Data_that_is_not_bzip2_is_rejected()
    {
        var path = _factory.Bytes("not.bz2", "BZx9 this is not bzip2"u8.ToArray());
        var decode = () => Decode(path);
        decode.Should().Throw<InvalidDataException>().WithMessage("the data is not a bzip2 stream");
    }

    [Fact]
    public void Both_move_to_front_lists_agree_with_the_definition()
    {
        var rng = new Random(5);
        var start = Enumerable.Range(0, 256).Select(i => (byte)(255 - i)).ToArray();
        var reference = start.ToList();
        var shifted = MoveToFrontList.Create(start);
        var ranks = MoveToFrontRanks.IsSupported ? MoveToFrontRanks.Create(start) : default;
        for (int i = 0; i < 20_000; i++)
        {
            int index = i % 5 == 0 ? rng.Next(256) : rng.Next(8);
            byte expected = reference[index];
            reference.RemoveAt(index);
            reference.Insert(0, expected);
            shifted.Take(index).Should().Be(expected);
            if (MoveToFrontRanks.IsSupported) ranks.Take(index).Should().Be(expected);
        }
    }
}
