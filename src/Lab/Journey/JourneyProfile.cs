namespace OgActors.Lab.Journey;

/// <summary>
/// The software-profile step of the journey (issue 17): pc01's model partition carries this machine's
/// <c>os-release</c> and dpkg database, as an installed Debian would, and after the capture the journey prints the
/// profile line the repository read from the image ("Debian GNU/Linux 12, 797 packages").
/// </summary>
internal static class JourneyProfile
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    /// <summary>Copies /etc/os-release (resolved) and /var/lib/dpkg/status into the model's content tree, when this machine has them.</summary>
    public static void AddModelSoftware(string content)
    {
        var osRelease = new FileInfo("/etc/os-release").ResolveLinkTarget(true)?.FullName ?? "/etc/os-release";
        foreach (var (from, to) in new[] { (osRelease, "etc/os-release"), ("/var/lib/dpkg/status", "var/lib/dpkg/status") })
        {
            if (!File.Exists(from)) continue;
            var target = Path.Combine(content, to);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(from, target, overwrite: true);
        }
    }

    /// <summary>The profile line of the image's current revision once its repository read it, or why there is none.</summary>
    public static async Task<string> LineAsync(OperatorApi api, string image, CancellationToken cancel)
    {
        var until = DateTime.UtcNow + Wait;
        while (true)
        {
            var view = await api.ImageAsync(image, cancel);
            if (view.Profile is { Status: "read" } read) return read.Line;
            if (view.Profile is { Status: var status } && status.StartsWith("could not be read", StringComparison.Ordinal)) return $"the profile {status}";
            if (DateTime.UtcNow > until) return $"the profile {view.Profile?.Status ?? "has not been read yet"} after {Wait.TotalSeconds:0} s";
            await Task.Delay(200, cancel);
        }
    }
}
