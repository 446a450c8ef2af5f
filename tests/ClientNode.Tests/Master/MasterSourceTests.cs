using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Master;
using OgActors.Imaging.Formats;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Tests.Master;

/// <summary>What a master refuses to serve, with one sentence, before any receiver waits on it.</summary>
public sealed class MasterSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("og-master-src-").FullName;

    private static JobSpec Spec(CloneSource source) => new(SessionKind.CloneRemote, JobRole.Master, source.Image, 0, 2, "repo1",
        TransferMethod.Multicast, new MulticastSettings(9000, "239.194.1.1", DuplexMode.Full, 0, 0, 60), new P2PSettings(P2PMode.Peer, 0),
        "pc01", source);

    private Task<MasterSource> Prepare(CloneSource source, ImageCache? cache, IReadOnlyDictionary<int, string>? partitions = null) =>
        MasterSource.PrepareAsync("pc01", Spec(source), partitions ?? new Dictionary<int, string>(), cache, () => null, Compressor.Lzop, "s/pc01", null, CancellationToken.None);

    [Fact]
    public async Task An_image_that_is_not_in_the_masters_cache_is_refused_with_a_sentence()
    {
        var cache = new ImageCache(Directory.CreateDirectory(Path.Combine(_dir, "cache")).FullName, 1L << 30);
        var act = () => Prepare(new CloneSource(CloneSourceKind.CacheImage, 0, "win11"), cache);
        (await act.Should().ThrowAsync<CloneRefusedException>()).Which.Message.Should()
            .Be("Image win11 is not in the master pc01's cache; serve it with IMG-REPO:win11 (fetched from the repository first) or update the master's cache.");
    }

    [Fact]
    public async Task A_partition_the_master_does_not_have_or_without_a_filesystem_is_refused()
    {
        var missing = () => Prepare(new CloneSource(CloneSourceKind.Partition, 3, ""), null);
        (await missing.Should().ThrowAsync<CloneRefusedException>()).Which.Message.Should().Be("The master pc01 has no partition 3.");

        var blank = Path.Combine(_dir, "blank.img");
        await using (var f = File.Create(blank)) f.SetLength(8 << 20);
        var empty = () => Prepare(new CloneSource(CloneSourceKind.Partition, 1, ""), null, new Dictionary<int, string> { [1] = blank });
        (await empty.Should().ThrowAsync<CloneRefusedException>()).Which.Message.Should().Be("No filesystem was found on the master pc01's partition 1; it cannot be cloned.");
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
