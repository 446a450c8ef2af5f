using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;

namespace OgActors.EndToEnd.Tests;

/// <summary>
/// The main job end to end: the real <c>og-lab journey</c> process (lab with 4 computers holding real filesystems,
/// classroom and image defined through the API, capture of pc01's ext4 partition 1, incorporation, unicast deploy to
/// pc02–pc04). The test then checks the outcome itself on disk: every restored partition is fsck clean and holds
/// exactly pc01's files, pc02/pc03 went through their caches and pc04 directly.
/// </summary>
public sealed class DeployJourneyTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("og-e2e-journey-").FullName;
    private readonly string _lab = RealProcess.Binary("OgActors.Lab", "og-lab");

    [Fact]
    public async Task Journey_captures_incorporates_and_deploys_by_unicast_through_the_cache_and_directly()
    {
        var (exit, stdout, stderr) = await RealProcess.RunAsync(_lab, ["journey", "--data", _data], timeout: TimeSpan.FromMinutes(4));
        exit.Should().Be(0, $"the journey succeeds; stdout:\n{stdout}\nstderr:\n{stderr}");

        // What the journey printed: the image's info line and the table.
        stdout.Should().Contain("PARTCLONE:LZOP:EXTFS:131072", "the incorporated image's info line is shown");
        stdout.Should().Contain("| pc02").And.Contain("| pc03").And.Contain("| pc04").And.Contain("every computer restored the image intact");

        // The software profile the repository read from the captured image (pc01's partition carries this machine's
        // os-release and dpkg database): the OS and exactly as many packages as dpkg-query lists here.
        var installed = Process.Start(new ProcessStartInfo("dpkg-query", ["-W", "-f", "${binary:Package}\\n"]) { RedirectStandardOutput = true })!;
        var packages = (await installed.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        await installed.WaitForExitAsync();
        var osName = File.ReadLines("/etc/os-release").First(l => l.StartsWith("PRETTY_NAME=")).Split('=', 2)[1].Trim('"');
        stdout.Should().MatchRegex($@"profile: [^\n]*{System.Text.RegularExpressions.Regex.Escape(osName.Split(' ')[0])}[^\n]*, {packages} packages",
            "the journey prints the image's profile line");

        // What it recorded.
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_data, "journey.json")));
        var root = report.RootElement;
        root.GetProperty("succeeded").GetBoolean().Should().BeTrue();
        root.GetProperty("revision").GetInt32().Should().Be(1);
        var rows = root.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("computer").GetString()!);
        rows.Keys.Should().BeEquivalentTo(["pc01", "pc02", "pc03", "pc04"]);
        rows.Values.Should().OnlyContain(r => r.GetProperty("result").GetString() == "ok");
        foreach (var pc in new[] { "pc02", "pc03" })
            rows[pc].GetProperty("path").GetString().Should().Contain("cache", $"{pc} has room in its cache");
        rows["pc04"].GetProperty("path").GetString().Should().Contain("direct");
        rows["pc04"].GetProperty("reason").GetString().Should().Contain("cache", "the reason says the cache is too small");

        // The repository holds the captured file; pc02 and pc03 keep a copy in their caches, pc04 none.
        var imagesDir = Path.Combine(_data, "repository", "images");
        Directory.EnumerateFiles(imagesDir, "ubuntu-lab.img*", SearchOption.AllDirectories).Should().NotBeEmpty();
        foreach (var pc in new[] { "pc02", "pc03" })
            Directory.EnumerateFiles(Cache(pc), "ubuntu-lab.img", SearchOption.AllDirectories).Should().ContainSingle($"{pc} cached the image");
        Directory.EnumerateFiles(Cache("pc04"), "ubuntu-lab.img", SearchOption.AllDirectories).Should().BeEmpty("pc04 restored directly");

        // pc01's partition 2 is a real NTFS filesystem (boot sector OEM id).
        var boot = new byte[11];
        await using (var part2 = File.OpenRead(Partition("pc01", 2))) await part2.ReadExactlyAsync(boot);
        System.Text.Encoding.ASCII.GetString(boot, 3, 8).Should().Be("NTFS    ");

        // Every restored partition: fsck clean and the same files as pc01's.
        var expected = await FilesAsync(Partition("pc01", 1), "pc01");
        expected.Should().HaveCountGreaterThan(200, "pc01's partition holds a few hundred files");
        foreach (var pc in new[] { "pc02", "pc03", "pc04" })
        {
            var fsck = await ToolAsync("e2fsck", "-fn", Partition(pc, 1));
            fsck.Exit.Should().Be(0, $"{pc}'s restored partition is clean: {fsck.Output}");
            (await FilesAsync(Partition(pc, 1), pc)).Should().Equal(expected, $"{pc} holds exactly pc01's files");
        }
    }

    [Fact]
    public async Task Journey_refuses_a_data_directory_that_is_not_empty()
    {
        await File.WriteAllTextAsync(Path.Combine(_data, "something"), "x");
        var (exit, stdout, stderr) = await RealProcess.RunAsync(_lab, ["journey", "--data", _data]);
        exit.Should().Be(2);
        stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("not empty");
        stdout.Should().BeEmpty();
    }

    private string Partition(string pc, int n) => Path.Combine(_data, "computers", pc, "partitions", $"part{n}.img");
    private string Cache(string pc) => Path.Combine(_data, "computers", pc, "cache");

    /// <summary>Every file of an ext4 partition file (debugfs rdump) → SHA-256, by relative path.</summary>
    private async Task<SortedDictionary<string, string>> FilesAsync(string partition, string name)
    {
        var dir = Path.Combine(_data, "check-" + name);
        Directory.CreateDirectory(dir);
        var dump = await ToolAsync("debugfs", "-R", $"rdump / {dir}", partition);
        dump.Exit.Should().Be(0, dump.Output);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(file);
            files[Path.GetRelativePath(dir, file)] = info.LinkTarget ?? Convert.ToHexString(await SHA256.HashDataAsync(File.OpenRead(file)));
        }
        return files;
    }

    private static async Task<(int Exit, string Output)> ToolAsync(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    public void Dispose()
    {
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }
}
