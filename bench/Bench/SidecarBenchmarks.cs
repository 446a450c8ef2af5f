using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using OgActors.Imaging.Bencode;
using OgActors.Imaging.Hashing;
using OgActors.Imaging.Sidecars;

namespace OgActors.Bench;

/// <summary>
/// Sidecar generation on a 256 MiB file (in the page cache): our single pass with parallel hashing against the
/// sequential way (MD5 of the whole file, then MD5 of the last MiB, then SHA-1 of each 4 MiB piece, three reads).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class SidecarBenchmarks
{
    private const int Size = 256 * 1024 * 1024;
    private string _path = "";
    private byte[] _torrent = [];

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), "og-bench-sidecars.img");
        var block = new byte[4 * 1024 * 1024];
        var random = new Random(1);
        using (var file = File.Create(_path))
            for (var written = 0; written < Size; written += block.Length)
            {
                random.NextBytes(block);
                file.Write(block);
            }
        _torrent = SidecarWriter.ComputeAsync(_path, "http://127.0.0.1:6969/announce").GetAwaiter().GetResult().Torrent;
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark(Baseline = true, Description = "sequential: md5 file, md5 tail, sha1 pieces")]
    public int Sequential()
    {
        using (var whole = File.OpenRead(_path)) MD5.HashData(whole);
        using (var tail = File.OpenRead(_path))
        {
            tail.Seek(-SinglePassHasher.SumTailLength, SeekOrigin.End);
            MD5.HashData(tail);
        }
        var pieces = new byte[(Size / SinglePassHasher.TorrentPieceLength) * 20];
        var buffer = new byte[SinglePassHasher.TorrentPieceLength];
        using var file = File.OpenRead(_path);
        for (var i = 0; file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) is var n && n > 0; i++)
            SHA1.HashData(buffer.AsSpan(0, n), pieces.AsSpan(i * 20, 20));
        return pieces.Length;
    }

    [Benchmark(Description = "single pass, parallel hashing (SidecarWriter)")]
    public async Task<int> SinglePass() => (await SidecarWriter.ComputeAsync(_path, "http://127.0.0.1:6969/announce")).Torrent.Length;

    [Benchmark(Description = "bencode: parse a 64-piece torrent")]
    public int ParseTorrent() => TorrentMetainfo.Parse(_torrent).PieceCount;

    [Benchmark(Description = "bencode: decode + encode a torrent")]
    public int RoundTripTorrent() => BencodeWriter.Encode(BencodeReader.Decode(_torrent)).Length;
}
