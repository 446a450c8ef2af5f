using OgActors.Imaging.Compression;
using OgActors.Imaging.Formats;
using OgActors.Imaging.Tests.Fixtures;

namespace OgActors.Imaging.Tests.Compression;

/// <summary>Each compressor's real CLI output is detected by content and decoded in process.</summary>
public sealed class DecompressionTests : IDisposable
{
    private readonly ImageFactory _factory = new("decomp");
    private readonly byte[] _data;
    private readonly string _input;

    public DecompressionTests()
    {
        _data = new byte[1_500_000];
        var rng = new Random(11);
        rng.NextBytes(_data.AsSpan(0, 500_000));
        for (int i = 500_000; i < _data.Length; i++) _data[i] = (byte)(i % 251 < 200 ? 'a' + i % 7 : 0);
        _input = _factory.Bytes("input", _data);
    }

    public void Dispose() => _factory.Dispose();

    private static byte[] DecodeDetected(string path, out Compressor detected)
    {
        using var s = Decompression.OpenDetected(File.OpenRead(path), out detected);
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    [Theory]
    [InlineData(Compressor.Gzip)]
    [InlineData(Compressor.Lzop)]
    [InlineData(Compressor.Zstd)]
    [InlineData(Compressor.Bzip2)]
    [InlineData(Compressor.Xz)]
    [InlineData(Compressor.Lz4)]
    public void Real_cli_output_is_detected_and_decoded(Compressor compressor)
    {
        var compressed = _factory.Compress(_input, compressor, $"x-{compressor}.bin");   // the name gives nothing away
        DecodeDetected(compressed, out var detected).Should().Equal(_data);
        detected.Should().Be(compressor);
    }

    [Fact]
    public void Uncompressed_data_passes_through()
    {
        DecodeDetected(_input, out var detected).Should().Equal(_data);
        detected.Should().Be(Compressor.None);
    }

    [Fact]
    public void Pigz_output_decodes()
    {
        var gz = _factory.Compress(_input, Compressor.Gzip, "pigz.gz", pigz: true, "-p", "2", "-b", "128");
        DecodeDetected(gz, out _).Should().Equal(_data);
    }

    [Theory]
    [InlineData(Compressor.Gzip)]
    [InlineData(Compressor.Zstd)]
    [InlineData(Compressor.Xz)]
    [InlineData(Compressor.Lz4)]
    [InlineData(Compressor.Lzop)]
    [InlineData(Compressor.Bzip2)]
    public void Concatenated_members_or_frames_decode_as_one_stream(Compressor compressor)
    {
        var a = _factory.Compress(_input, compressor, $"a-{compressor}");
        var b = _factory.Compress(_input, compressor, $"b-{compressor}");
        var joined = _factory.Concatenate($"ab-{compressor}", a, b);
        DecodeDetected(joined, out _).Should().Equal([.. _data, .. _data]);
    }

    [Fact]
    public void Xz_streams_separated_by_stream_padding_decode_as_one_stream()
    {
        var a = _factory.Compress(_input, Compressor.Xz, "pad-a");
        var b = _factory.Compress(_input, Compressor.Xz, "pad-b");
        var padding = _factory.Bytes("padding", new byte[8]);
        var joined = _factory.Concatenate("pad-ab", a, padding, b, padding);
        DecodeDetected(joined, out _).Should().Equal([.. _data, .. _data]);
    }

    [Theory]
    [InlineData(Compressor.Bzip2, "*not another bzip2 stream*")]
    [InlineData(Compressor.Xz, "*neither padding nor another xz stream*")]
    public void Data_after_the_last_member_that_is_not_another_member_is_rejected(Compressor compressor, string message)
    {
        var a = _factory.Compress(_input, compressor, $"junk-a-{compressor}");
        var junk = _factory.Bytes($"junk-{compressor}", "NOT A MEMBER"u8.ToArray());
        var joined = _factory.Concatenate($"junk-ab-{compressor}", a, junk);
        var decode = () => DecodeDetected(joined, out _);
        decode.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void Zstd_multithreaded_multi_frame_output_decodes()
    {
        var zst = _factory.Compress(_input, Compressor.Zstd, "mt.zst", false, "-T2", "--block-size=65536");
        DecodeDetected(zst, out _).Should().Equal(_data);
    }

    [Theory]
    [InlineData(new byte[] { 0x1F, 0x8B, 0x08, 0 }, Compressor.Gzip)]
    [InlineData(new byte[] { 0x89, 0x4C, 0x5A, 0x4F, 0x00, 0x0D, 0x0A, 0x1A, 0x0A }, Compressor.Lzop)]
    [InlineData(new byte[] { 0x28, 0xB5, 0x2F, 0xFD }, Compressor.Zstd)]
    [InlineData(new byte[] { 0x50, 0x2A, 0x4D, 0x18 }, Compressor.Zstd)]
    [InlineData(new byte[] { (byte)'B', (byte)'Z', (byte)'h', (byte)'9', 0x31, 0x41, 0x59, 0x26, 0x53, 0x59 }, Compressor.Bzip2)]
    [InlineData(new byte[] { 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00 }, Compressor.Xz)]
    [InlineData(new byte[] { 0x04, 0x22, 0x4D, 0x18 }, Compressor.Lz4)]
    [InlineData(new byte[] { (byte)'B', (byte)'Z', (byte)'h', (byte)'9', 0, 0, 0, 0, 0, 0 }, Compressor.None)]
    [InlineData(new byte[] { 0x1F, 0x8B }, Compressor.None)]
    [InlineData(new byte[] { }, Compressor.None)]
    public void Magic_bytes_name_the_compressor(byte[] head, Compressor expected) =>
        CompressionDetector.Detect(head).Should().Be(expected);
}
