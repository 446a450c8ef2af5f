using System.Text.Json;

namespace OgActors.EndToEnd.Tests;

/// <summary>
/// <c>og-lab journey --virtual --protocol torrent</c>, the real processes on the virtual classroom: it exits 0 and prints the
/// physical limit, the measured ratio and the repository's upload (its link's interface counter), which journey.json keeps.
/// </summary>
[Collection("virtual-lab")]
public sealed class TorrentJourneyTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("og-e2e-p2p-journey-").FullName;
    private readonly string _lab = RealProcess.Binary("OgActors.Lab", "og-lab");

    [Fact]
    public async Task The_torrent_journey_prints_the_limit_the_ratio_and_the_repositorys_upload()
    {
        const int linkMbit = 200;
        var (exit, stdout, stderr) = await RealProcess.RunAsync(_lab,
            ["journey", "--virtual", "--computers", "4", "--protocol", "torrent", "--link-mbit", $"{linkMbit}", "--image-mib", "24", "--data", _data, "--keep"],
            timeout: TimeSpan.FromMinutes(8));
        exit.Should().Be(0, $"the torrent journey succeeds; output:\n{stdout}\n{stderr}");
        stdout.Should().Contain("Physical limit (torrent").And.Contain("ratio").And.Contain("Repository upload: its link sent");

        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_data, "journey.json"))).RootElement;
        report.GetProperty("succeeded").GetBoolean().Should().BeTrue();
        var limit = report.GetProperty("limit");
        limit.GetProperty("protocol").GetString().Should().Be("torrent");
        limit.GetProperty("p2PMode").GetString().Should().Be("peer");
        limit.GetProperty("computers").GetInt32().Should().Be(3);
        var imageBytes = limit.GetProperty("imageBytes").GetInt64();
        limit.GetProperty("limitSeconds").GetDouble().Should().BeApproximately(imageBytes * 8.0 / (linkMbit * 1e6), 0.01,
            "with every link at the same rate, each computer receiving the whole image through its own link is the bound");
        limit.GetProperty("seconds").GetDouble().Should().BeGreaterThan(0);
        var sent = limit.GetProperty("repositorySentBytes").GetInt64();
        sent.Should().BeGreaterThanOrEqualTo(imageBytes, "the repository sends every byte of the image at least once");
        limit.GetProperty("repositoryUploadRatio").GetDouble().Should().BeApproximately(sent / (double)imageBytes, 1e-9);
        stdout.Should().Contain($"Repository upload: its link sent {sent.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes", "the printed upload is the measured one");
        report.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("reason").GetString() == "updateCache").Should().HaveCount(3)
            .And.OnlyContain(r => r.GetProperty("result").GetString() == "ok");
    }

    public void Dispose()
    {
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }
}
