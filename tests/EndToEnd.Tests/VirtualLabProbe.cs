using System.Diagnostics;
using System.Text.Json;
using OgActors.Lab;

namespace OgActors.EndToEnd.Tests;

/// <summary>What the virtual-classroom tests read from a running lab: its manifest once ready, its namespaces, file sums.</summary>
internal static class VirtualLabProbe
{
    /// <summary>Waits for DIR/lab.json written by <paramref name="lab"/> (once the repository and every computer are up).</summary>
    public static async Task<LabManifest> ManifestAsync(RealProcess lab, string data)
    {
        var path = Path.Combine(data, LabManifest.FileName);
        var deadline = DateTime.UtcNow.AddSeconds(150);
        while (!File.Exists(path) || JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("pid").GetInt32() != lab.Id)
        {
            lab.HasExited.Should().BeFalse($"the lab keeps running; output:\n{lab.Output}");
            DateTime.UtcNow.Should().BeBefore(deadline, $"the lab gets ready; output:\n{lab.Output}");
            await Task.Delay(250);
        }
        return LabManifest.Read(data);
    }

    /// <summary>The network namespaces whose names start with <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<string> NamespacesOf(string prefix)
    {
        var psi = new ProcessStartInfo("ip", "netns list") { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var names = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]);
        p.WaitForExit();
        return [.. names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal))];
    }

    public static string Md5(string path) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(File.ReadAllBytes(path)));

    /// <summary>Drops the model into the repository as IMAGE.img, defines classroom aula1 (the lab's computers) and the image, waits for the link.</summary>
    public static async Task<OgActors.Messages.Images.ImageView> DefineClassroomAndImageAsync(OgActors.Lab.Journey.OperatorApi api, LabManifest manifest,
        string model, string image, string displayName, int partition, CancellationToken cancel)
    {
        var repo = manifest.Repository.Name;
        File.Copy(model, Path.Combine(manifest.ImagesDir, image + ".copying"));
        File.Move(Path.Combine(manifest.ImagesDir, image + ".copying"), Path.Combine(manifest.ImagesDir, image + ".img"));
        await api.PostAsync("classrooms", new { name = "aula1", network = "172.17.36.0/24" }, cancel);
        foreach (var c in manifest.Computers)
            await api.PostAsync("classrooms/aula1/computers", new { name = c.Name, ip = c.Ip, mac = c.Mac, repository = repo, cacheSizeBytes = c.CacheCapacityBytes }, cancel);
        await api.PostAsync("images", new
        {
            canonical = image, displayName, softwareProfile = "ext4", partition, partitionType = "EXT4", repository = repo, comments = "e2e",
        }, cancel);
        var view = await api.ImageAsync(image, cancel);
        var watch = Stopwatch.StartNew();
        while (view.Copies.Count == 0 || view.Revision == 0)
        {
            watch.Elapsed.Should().BeLessThan(TimeSpan.FromMinutes(2), "the image is incorporated and linked");
            await Task.Delay(250, cancel);
            view = await api.ImageAsync(image, cancel);
        }
        return view;
    }

    /// <summary>Starts a session (the API's JSON body) and polls it until it has an outcome.</summary>
    public static async Task<OgActors.Messages.Sessions.SessionView> RunSessionAsync(OgActors.Lab.Journey.OperatorApi api, object body, CancellationToken cancel)
    {
        var id = await api.PostAsync("sessions", body, cancel);
        return await UntilEndedAsync(api, id!, cancel);
    }

    /// <summary>Polls session <paramref name="id"/> until it has an outcome; when the test's time runs out first, fails with where each job stood.</summary>
    public static async Task<OgActors.Messages.Sessions.SessionView> UntilEndedAsync(OgActors.Lab.Journey.OperatorApi api, string id, CancellationToken cancel)
    {
        var session = await api.SessionAsync(id, cancel);
        while (session.Outcome is null)
        {
            try { await Task.Delay(500, cancel); }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"Session {id} had no outcome when the test's time ran out; its jobs: " + string.Join("; ",
                    session.Jobs.Select(j => $"{j.Computer} {j.Role} {j.Status} [{j.Path}] {j.Bytes} B, waiting: {j.Waiting}; {j.Reason} {j.Error}")));
            }
            session = await api.SessionAsync(id, cancel);
        }
        return session;
    }
}
