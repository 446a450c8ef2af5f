using System.Diagnostics;
using System.Text.Json;

namespace OgActors.EndToEnd.Tests;

/// <summary>
/// Drives a running lab (loopback or virtual) as an operator does: the real ogctl binary against DIR/lab.json, the
/// real og-lab for power, and real images made by the real tools (mkfs.ext4 -d, partclone.extfs, lzop/gzip).
/// </summary>
internal sealed class LabDriver(string data)
{
    private readonly string _ogctl = RealProcess.Binary("OgActors.Ctl", "ogctl");
    private readonly string _lab = RealProcess.Binary("OgActors.Lab", "og-lab");
    private readonly Dictionary<string, string> _env = new() { ["OG_LAB"] = data, ["OG_API"] = "", ["OG_TOKEN"] = "" };

    public string Data { get; } = data;

    /// <summary>ogctl with the lab's API; the answer (exit, stdout, stderr).</summary>
    public Task<(int Exit, string Out, string Err)> CtlAsync(params string[] args) =>
        RealProcess.RunAsync(_ogctl, args, _env, TimeSpan.FromSeconds(120));

    /// <summary>ogctl ... --json, which must succeed; its JSON.</summary>
    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await CtlAsync([.. args, "--json"]);
        exit.Should().Be(0, $"ogctl {string.Join(' ', args)} succeeds: {stderr}{stdout}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    public Task<(int Exit, string Out, string Err)> LabAsync(params string[] args) => RealProcess.RunAsync(_lab, args, _env, TimeSpan.FromSeconds(60));

    /// <summary>Waits for DIR/lab.json of <paramref name="lab"/> (written once the repository and every computer are up).</summary>
    public async Task<JsonElement> ManifestAsync(RealProcess lab)
    {
        var path = Path.Combine(Data, "lab.json");
        var deadline = DateTime.UtcNow.AddSeconds(150);
        while (!File.Exists(path) || JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("pid").GetInt32() != lab.Id)
        {
            lab.HasExited.Should().BeFalse($"the lab keeps running; output:\n{lab.Output}");
            DateTime.UtcNow.Should().BeBefore(deadline, $"the lab gets ready; output:\n{lab.Output}");
            await Task.Delay(250);
        }
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    }

    /// <summary>Classroom <paramref name="classroom"/> with every computer of the lab (a virtual lab's real addresses; made-up ones on loopback).</summary>
    public async Task DefineClassroomAsync(JsonElement manifest, string classroom, bool virtualLab)
    {
        (await CtlAsync("classroom", "define", classroom, "--network", virtualLab ? "172.17.36.0/24" : "10.37.0.0/24")).Exit.Should().Be(0);
        var i = 0;
        foreach (var c in manifest.GetProperty("computers").EnumerateArray())
        {
            var ip = virtualLab ? c.GetProperty("ip").GetString()! : $"10.37.0.{11 + i++}";
            var added = await CtlAsync("classroom", "add-computer", classroom, "--name", c.GetProperty("name").GetString()!, "--ip", ip,
                "--mac", c.GetProperty("mac").GetString()!, "--repo", manifest.GetProperty("repository").GetProperty("name").GetString()!);
            added.Exit.Should().Be(0, added.Err);
        }
    }

    /// <summary>The images of <paramref name="repository"/> as `ogctl repo images` shows them, by "FOLDER/NAME" (or NAME).</summary>
    public async Task<Dictionary<string, JsonElement>> ImagesAsync(string repository)
    {
        var list = await JsonAsync("repo", "images", repository);
        return list.EnumerateArray().ToDictionary(i =>
            i.GetProperty("folder").GetString() is { Length: > 0 } f ? $"{f}/{i.GetProperty("canonicalName").GetString()}" : i.GetProperty("canonicalName").GetString()!);
    }

    /// <summary>Polls `ogctl repo images` until <paramref name="done"/> holds (generous deadline: no timing is asserted).</summary>
    public async Task<Dictionary<string, JsonElement>> UntilImagesAsync(string repository, Func<Dictionary<string, JsonElement>, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (true)
        {
            var images = await ImagesAsync(repository);
            if (done(images)) return images;
            DateTime.UtcNow.Should().BeBefore(deadline, $"repository {repository} settles; it shows {string.Join(", ", images.Select(i => $"{i.Key}={i.Value.GetProperty("state")}"))}");
            await Task.Delay(300);
        }
    }

    /// <summary>Polls `ogctl session show ID` until the session has an outcome.</summary>
    public async Task<JsonElement> SessionEndAsync(string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var session = await JsonAsync("session", "show", id);
            if (session.GetProperty("outcome").ValueKind != JsonValueKind.Null) return session;
            DateTime.UtcNow.Should().BeBefore(deadline, $"session {id} ends; it shows {session}");
            await Task.Delay(500);
        }
    }

    public static JsonElement Job(JsonElement session, string computer) =>
        session.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("computer").GetString() == computer);

    /// <summary>
    /// An ext4 partition of <paramref name="partitionMiB"/> holding <paramref name="contentMiB"/> of random bytes, as a file
    /// (mkfs.ext4 -d), and its raw partclone stream (partclone.extfs -c) beside it; returns the two paths.
    /// </summary>
    public static async Task<(string Partition, string Stream)> PartcloneStreamAsync(string dir, int contentMiB, int partitionMiB)
    {
        Directory.CreateDirectory(dir);
        var content = Path.Combine(dir, "content");
        Directory.CreateDirectory(content);
        var bytes = new byte[1 << 20];
        await using (var blob = File.Create(Path.Combine(content, "blob.bin")))
            for (var i = 0; i < contentMiB; i++) { Random.Shared.NextBytes(bytes); await blob.WriteAsync(bytes); }
        await File.WriteAllTextAsync(Path.Combine(content, "hello.txt"), "made by the end-to-end tests\n");
        var partition = Path.Combine(dir, "part.ext4");
        await using (var f = File.Create(partition)) f.SetLength((long)partitionMiB << 20);
        await ToolAsync("mkfs.ext4", "-q", "-F", "-d", content, partition);
        var stream = Path.Combine(dir, "stream.pc");
        await ShellAsync($"partclone.extfs -c -s '{partition}' -o - 2>/dev/null > '{stream}'");
        Directory.Delete(content, true);
        return (partition, stream);
    }

    /// <summary>Compresses <paramref name="input"/> with <paramref name="compressor"/> (lzop, gzip…) into <paramref name="output"/>.</summary>
    public static Task CompressAsync(string compressor, string input, string output) => ShellAsync($"{compressor} -c < '{input}' > '{output}'");

    /// <summary>Copies <paramref name="file"/> into <paramref name="dir"/> under a temporary name and renames it to <paramref name="name"/> (how a finished copy arrives).</summary>
    public static void ArriveByRename(string file, string dir, string name)
    {
        Directory.CreateDirectory(dir);
        var temporary = Path.Combine(dir, "." + name + ".copying");
        File.Copy(file, temporary, true);
        File.Move(temporary, Path.Combine(dir, name));
    }

    public static async Task ShellAsync(string script) => await ToolAsync("bash", "-o", "pipefail", "-c", script);

    public static async Task<string> ToolAsync(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        p.ExitCode.Should().Be(0, $"{tool} {string.Join(' ', args)} succeeds: {await error}");
        return await output;
    }
}
