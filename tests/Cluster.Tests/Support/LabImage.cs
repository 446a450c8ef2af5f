using System.Diagnostics;

namespace OgActors.Cluster.Tests.Support;

/// <summary>Images for a lab's repository made with the real tools, and those tools run with their exit code checked.</summary>
public static class LabImage
{
    /// <summary>
    /// An ext4 partition holding <paramref name="mib"/> MiB of random bytes (blob.bin), captured by partclone and compressed by
    /// lzop, as <paramref name="imagesDir"/>/NAME.img (written aside, then moved in, so the repository never sees half of it).
    /// </summary>
    public static async Task MakeAsync(string imagesDir, string name, int mib, string workDir)
    {
        var content = Path.Combine(workDir, "content");
        Directory.CreateDirectory(content);
        Directory.CreateDirectory(imagesDir);
        var bytes = new byte[1 << 20];
        await using (var blob = File.Create(Path.Combine(content, "blob.bin")))
            for (var i = 0; i < mib; i++) { Random.Shared.NextBytes(bytes); await blob.WriteAsync(bytes); }
        var partition = Path.Combine(workDir, "part.ext4");
        await using (var f = File.Create(partition)) f.SetLength((mib + 20L) << 20);
        await Tool("mkfs.ext4", "-q", "-F", "-d", content, partition);
        var staged = Path.Combine(imagesDir, $".{name}.copying");
        await Tool("bash", "-o", "pipefail", "-c", $"partclone.extfs -c -s '{partition}' -o - 2>/dev/null | lzop -c > '{staged}'");
        File.Move(staged, Path.Combine(imagesDir, name + ".img"));
        Directory.Delete(workDir, true);
    }

    /// <summary>Runs <paramref name="tool"/>; asserts it succeeds and returns its standard output.</summary>
    public static async Task<string> Tool(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        p.ExitCode.Should().Be(0, $"{tool} {string.Join(' ', args)} succeeds: {await stderr}");
        return await stdout;
    }
}
