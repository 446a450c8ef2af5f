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
}
