using System.Diagnostics;
using System.Text.Json;

namespace OgActors.EndToEnd.Tests;

/// <summary>
/// Issue 10 end to end on a running loopback lab (og-lab, real processes), driven by the real ogctl: an image imported
/// into an OU sub-folder deploys; damaged image files arriving in the images directory end in <c>error</c> with a
/// sentence naming the damage while intact ones of each compressor become ready.
/// </summary>
public sealed class LabImageTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("og-e2e-images-").FullName;
    private RealProcess _lab = null!;
    private LabDriver _driver = null!;
    private JsonElement _manifest;

    public async Task InitializeAsync()
    {
        _driver = new LabDriver(_data);
        _lab = RealProcess.Start(RealProcess.Binary("OgActors.Lab", "og-lab"), ["lab", "--data", _data, "--computers", "2"]);
        _manifest = await _driver.ManifestAsync(_lab);
    }

    private string ImagesDir => _manifest.GetProperty("imagesDir").GetString()!;

    [Fact]
    public async Task An_image_imported_into_an_OU_sub_folder_is_shown_under_it_and_restores_by_unicast()
    {
        var (_, stream) = await LabDriver.PartcloneStreamAsync(Path.Combine(_data, "made"), contentMiB: 6, partitionMiB: 32);
        var file = Path.Combine(_data, "made", "aulas.img");
        await LabDriver.CompressAsync("lzop", stream, file);

        var imported = await _driver.CtlAsync("image", "import", file, "--name", "aulas", "--repo", "repo1", "--folder", "ou1");
        imported.Exit.Should().Be(0, imported.Err);
        File.Exists(Path.Combine(ImagesDir, "ou1", "aulas.img")).Should().BeTrue("the import puts the file in the OU sub-folder");
        await _driver.UntilImagesAsync("repo1", i => i.TryGetValue("ou1/aulas", out var a) && a.GetProperty("state").GetString() == "Ready");

        await _driver.DefineClassroomAsync(_manifest, "aula1", virtualLab: false);
        (await _driver.CtlAsync("image", "define", "--canonical", "aulas", "--name", "Aulas", "--profile", "OU image", "--partition", "1",
            "--type", "EXT4", "--repo", "repo1", "--comments", "in ou1")).Exit.Should().Be(0);
        var shown = await _driver.CtlAsync("image", "show", "aulas");
        shown.Exit.Should().Be(0, shown.Err);
        shown.Out.Should().Contain("repo1/ou1", "the copy is shown under its OU sub-folder");

        // Both commands an operator deploys with: restore to pc01, deploy (cache, then restore) to pc02.
        var restore = await _driver.JsonAsync("restore", "--scope", "pc01", "--partition", "1", "--image", "aulas", "--method", "unicast");
        var deploy = await _driver.JsonAsync("deploy", "--scope", "pc02", "--mode", "deployImage", "--image", "aulas", "--protocol", "unicast");
        foreach (var (id, pc) in new[] { (restore.GetProperty("id").GetString()!, "pc01"), (deploy.GetProperty("id").GetString()!, "pc02") })
        {
            var session = await _driver.SessionEndAsync(id, TimeSpan.FromMinutes(2));
            var job = LabDriver.Job(session, pc);
            job.GetProperty("status").GetString().Should().Be("Succeeded", $"the OU image restores on {pc}: {job}");
            var partition = _manifest.GetProperty("computers").EnumerateArray().Single(c => c.GetProperty("name").GetString() == pc)
                .GetProperty("partitions").EnumerateArray().First().GetProperty("file").GetString()!;
            var files = await LabDriver.ToolAsync("debugfs", "-R", "ls -l /", partition);
            files.Should().Contain("blob.bin").And.Contain("hello.txt");
            await LabDriver.ToolAsync("e2fsck", "-fn", partition);
        }
    }

    [Fact]
    public async Task Damaged_image_files_renamed_into_place_end_in_error_with_the_damage_while_intact_ones_become_ready()
    {
        var made = Path.Combine(_data, "made");
        var (_, stream) = await LabDriver.PartcloneStreamAsync(made, contentMiB: 6, partitionMiB: 32);
        string Made(string name) => Path.Combine(made, name);
        await LabDriver.CompressAsync("lzop", stream, Made("intact-lzop.img"));
        await LabDriver.CompressAsync("gzip", stream, Made("intact-gzip.img"));
        var lzop = await File.ReadAllBytesAsync(Made("intact-lzop.img"));
        var raw = await File.ReadAllBytesAsync(stream);

        // The four kinds of damage.
        await File.WriteAllBytesAsync(Made("truncated.img"), lzop[..(lzop.Length * 6 / 10)]);
        var flipped = (byte[])lzop.Clone();
        flipped[flipped.Length / 2] ^= 0x5a;
        await File.WriteAllBytesAsync(Made("flipped.img"), flipped);
        var garbage = new byte[lzop.Length];
        lzop.AsSpan(0, lzop.Length * 4 / 10).CopyTo(garbage);
        Random.Shared.NextBytes(garbage.AsSpan(lzop.Length * 4 / 10));
        await File.WriteAllBytesAsync(Made("garbage.img"), garbage);
        await File.WriteAllBytesAsync(Made("short.pc"), raw[..(raw.Length * 7 / 10)]);
        await LabDriver.CompressAsync("lzop", Made("short.pc"), Made("early.img")); // a valid lzop stream of a partclone image cut short

        foreach (var name in new[] { "intact-lzop", "intact-gzip", "truncated", "flipped", "garbage", "early" })
            LabDriver.ArriveByRename(Made(name + ".img"), ImagesDir, name + ".img");
        string[] damaged = ["truncated", "flipped", "garbage", "early"];
        var images = await _driver.UntilImagesAsync("repo1", i =>
            new[] { "intact-lzop", "intact-gzip" }.All(n => i.TryGetValue(n, out var x) && x.GetProperty("state").GetString() == "Ready")
            && damaged.All(n => i.TryGetValue(n, out var x) && x.GetProperty("state").GetString() == "Error"), TimeSpan.FromMinutes(2));

        foreach (var name in damaged)
        {
            var error = images[name].GetProperty("error").GetString();
            error.Should().NotBeNullOrWhiteSpace($"{name} says what is wrong");
            error!.Split('\n').Should().ContainSingle($"{name}'s damage is one sentence");
            error.Should().NotContain("   at ").And.NotContain(ImagesDir, "no stack trace or server path");
            File.Exists(Path.Combine(ImagesDir, name + ".img.error")).Should().BeTrue($"{name}.img.error records the damage");
            File.Exists(Path.Combine(ImagesDir, name + ".img.torrent")).Should().BeFalse($"{name} gets no .torrent");
        }
        images["truncated"].GetProperty("error").GetString().Should().MatchRegex("(?i)trunc|ends|end of|short|offset");
        images["early"].GetProperty("error").GetString().Should().MatchRegex("(?i)early|ends|short|end of|offset|block");

        // The table an operator reads says the same.
        var table = await _driver.CtlAsync("repo", "images", "repo1");
        table.Exit.Should().Be(0, table.Err);
        table.Out.Should().Contain("error").And.Contain("ready");

        // Never served: the repository's HTTP service answers 404 for each damaged image, 200 for the intact ones.
        using var http = new HttpClient { BaseAddress = new Uri(_manifest.GetProperty("repository").GetProperty("httpUrl").GetString()!.TrimEnd('/') + "/") };
        foreach (var name in damaged)
            ((int)(await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"images/{name}.img"))).StatusCode).Should().Be(404, $"{name} is never served");
        ((int)(await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "images/intact-gzip.img"))).StatusCode).Should().Be(200);
    }

    public async Task DisposeAsync()
    {
        if (!_lab.HasExited) await _lab.StopAsync(TimeSpan.FromSeconds(60));
        await _lab.DisposeAsync();
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }
}
