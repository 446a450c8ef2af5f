namespace OgActors.EndToEnd.Tests;

/// <summary>og-lab journey's --protocol: unicast, multicast, master and torrent are accepted (all but unicast only on the virtual classroom; torrent with --p2p-mode peer or leecher); anything else is one sentence and exit 2, before anything starts.</summary>
public sealed class JourneyOptionsTests
{
    private readonly string _lab = RealProcess.Binary("OgActors.Lab", "og-lab");

    [Theory]
    [InlineData("unicast")]
    [InlineData("multicast")]
    [InlineData("MULTICAST")]
    [InlineData("master")]
    [InlineData("torrent")]
    public async Task Known_protocols_pass_the_option_check_on_the_virtual_classroom(string protocol)
    {
        var (exit, _, stderr) = await RealProcess.RunAsync(_lab, ["journey", "--check-options", "--virtual", "--computers", "8", "--protocol", protocol]);
        exit.Should().Be(0, stderr);
    }

    [Theory]
    [InlineData("peer")]
    [InlineData("Leecher")]
    public async Task The_torrent_journey_takes_the_peer_and_leecher_modes(string mode)
    {
        var (exit, _, stderr) = await RealProcess.RunAsync(_lab, ["journey", "--check-options", "--virtual", "--protocol", "torrent", "--p2p-mode", mode]);
        exit.Should().Be(0, stderr);
    }

    [Theory]
    [InlineData(new[] { "--protocol", "torrentz" }, "unknown protocol 'torrentz'")]
    [InlineData(new[] { "--virtual", "--protocol", "broadcast" }, "unknown protocol 'broadcast'")]
    [InlineData(new[] { "--protocol", "multicast" }, "--protocol multicast needs --virtual")]
    [InlineData(new[] { "--protocol", "master" }, "--protocol master needs --virtual")]
    [InlineData(new[] { "--protocol", "torrent" }, "--protocol torrent needs --virtual")]
    [InlineData(new[] { "--virtual", "--protocol", "torrent", "--p2p-mode", "superseed" }, "unknown P2P mode 'superseed'")]
    public async Task Other_protocols_and_multicast_on_loopback_are_refused_in_one_sentence_before_anything_starts(string[] options, string sentence)
    {
        var data = Path.Combine(Path.GetTempPath(), "og-e2e-journey-options-" + Guid.NewGuid().ToString("N")[..8]);
        var (exit, stdout, stderr) = await RealProcess.RunAsync(_lab, ["journey", "--data", data, .. options]);
        exit.Should().Be(2);
        stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain(sentence);
        stdout.Should().BeEmpty();
        Directory.Exists(data).Should().BeFalse("nothing was started or written");
    }
}
