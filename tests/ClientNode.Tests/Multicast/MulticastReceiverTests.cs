using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Tests.Support;
using OgActors.ClientNode.Transfers;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Pipelines;

namespace OgActors.ClientNode.Tests.Multicast;

/// <summary>
/// Real udp-sender → real udp-receiver across two namespaces the test makes: the receiver checks the stream's identity
/// header before writing anything, hashes what arrives, and delivers it into the cache or straight onto a partition.
/// </summary>
[Collection("multicast-namespaces")]
public sealed class MulticastReceiverTests : IDisposable
{
    private const string Group = "239.194.250.1";
    private readonly MulticastNamespaces _ns = new();
    private readonly string _scratch = Directory.CreateTempSubdirectory("og-mc-test-").FullName;

    [Fact]
    public async Task A_stream_of_this_session_lands_in_the_cache_verified_against_its_full_sum()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        var header = Header("s1", image);
        using var sender = StartSender(header, image, 9000);
        using var receiver = StartReceiver(header, 9000);
        var cache = new ImageCache(Path.Combine(_scratch, "cache"), 1L << 30);
        var facts = new RepositoryImageFacts("img", header.Size, "", header.FullSum);

        var result = await receiver.IntoCacheAsync(cache, facts, null, Timeout());

        result.Image.FullSum.Should().Be(header.FullSum);
        Tools.Md5(cache.ImagePath("img")).Should().Be(Tools.Md5(image));
        result.BytesFetched.Should().Be(header.Size);
        (await sender.WaitAsync(Timeout())).Should().Be(0, string.Join('\n', sender.LastLines()));
    }

    [Fact]
    public async Task A_stream_of_this_session_restores_straight_onto_the_partition()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        var header = Header("s1", image);
        var target = TestImages.TargetPartition(_scratch, "target.ext4");
        using var sender = StartSender(header, image, 9002);
        using var receiver = StartReceiver(header, 9002);
        var wrote = false;

        await receiver.RestoreAsync(ImageInspector.InspectFile(image), target, () => wrote = true, null, Timeout());

        wrote.Should().BeTrue();
        Tools.CheckExt4AndReadFiles(target, _scratch).Should().BeEquivalentTo(await TestImages.SourceFilesAsync(1));
    }

    [Fact]
    public async Task A_receiver_pointed_at_another_sessions_stream_refuses_it_and_writes_nothing()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        var theirs = Header("other-session", image);
        var mine = Header("s1", image);
        var target = TestImages.TargetPartition(_scratch, "target.ext4");
        var before = Tools.Md5(target);
        using var sender = StartSender(theirs, image, 9004);
        using var receiver = StartReceiver(mine, 9004);
        var wrote = false;

        var refusal = await FluentActions.Awaiting(() => receiver.RestoreAsync(ImageInspector.InspectFile(image), target, () => wrote = true, null, Timeout()))
            .Should().ThrowAsync<MulticastStreamRefusedException>();
        refusal.Which.Message.Should().Contain("session other-session instead of s1").And.Contain("nothing was written");
        wrote.Should().BeFalse();
        Tools.Md5(target).Should().Be(before, "the partition was not touched");

        // The same into a cache: no partial copy, no image.
        using var sender2 = StartSender(theirs, image, 9006);
        using var receiver2 = StartReceiver(mine with { Image = "img" }, 9006);
        var cache = new ImageCache(Path.Combine(_scratch, "cache"), 1L << 30);
        await FluentActions.Awaiting(() => receiver2.IntoCacheAsync(cache, new RepositoryImageFacts("img", mine.Size, "", mine.FullSum), null, Timeout()))
            .Should().ThrowAsync<MulticastStreamRefusedException>();
        File.Exists(cache.PartialPath("img")).Should().BeFalse();
        File.Exists(cache.ImagePath("img")).Should().BeFalse();
    }

    [Fact]
    public async Task A_stream_whose_bytes_do_not_match_the_full_sum_is_not_committed()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        var header = Header("s1", image) with { FullSum = new string('0', 32) }; // both ends agree on an identity the bytes do not have
        using var sender = StartSender(header, image, 9008);
        using var receiver = StartReceiver(header, 9008);
        var cache = new ImageCache(Path.Combine(_scratch, "cache"), 1L << 30);

        var failure = await FluentActions.Awaiting(() => receiver.IntoCacheAsync(cache, new RepositoryImageFacts("img", header.Size, "", header.FullSum), null, Timeout()))
            .Should().ThrowAsync<MulticastReceiveException>();
        failure.Which.Message.Should().Contain("not the full sum");
        File.Exists(cache.ImagePath("img")).Should().BeFalse();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static MulticastStreamHeader Header(string session, string image) =>
        new(session, "img", 1, Tools.Md5(image), new FileInfo(image).Length);

    private UdpcastProcess StartSender(MulticastStreamHeader header, string image, int port)
    {
        var sender = UdpcastProcess.Start("udp-sender",
            ["--nokbd", "--interface", "eth0", "--portbase", $"{port}", "--mcast-rdv-address", Group, "--mcast-data-address", Group,
             "--min-receivers", "1", "--max-wait", "5", "--full-duplex", "--ttl", "1"],
            input: true, output: false, _ns.In(_ns.Sender));
        _ = Task.Run(async () =>
        {
            try
            {
                await using var input = sender.Input;
                await input.WriteAsync(header.ToBytes());
                await using var file = File.OpenRead(image);
                await file.CopyToAsync(input);
            }
            catch (IOException) { } // the sender was stopped
        });
        return sender;
    }

    private MulticastReceiver StartReceiver(MulticastStreamHeader expected, int port) =>
        MulticastReceiver.Start(new MulticastReceiveRequest(Group, port, 30, expected, "eth0") { Wrapper = _ns.In(_ns.Receiver) });

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token;

    public void Dispose()
    {
        _ns.Dispose();
        try { Directory.Delete(_scratch, true); } catch (IOException) { }
    }
}
