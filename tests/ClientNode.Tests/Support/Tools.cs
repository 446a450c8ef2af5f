using System.Diagnostics;
using System.Security.Cryptography;

namespace OgActors.ClientNode.Tests.Support;

/// <summary>Runs the real tools the fixtures and checks use; a failing tool fails the test with its stderr.</summary>
public static class Tools
{
    public static string Run(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C";
        psi.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result.Trim()} {stdout.Result.Trim()}");
        return stdout.Result + stderr.Result;
    }

    public static string Md5(string path) => Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(path)));

    /// <summary>Every regular file under <paramref name="root"/> with its MD5, by relative path.</summary>
    public static IReadOnlyDictionary<string, string> FileSums(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("lost+found"))
            .ToDictionary(f => Path.GetRelativePath(root, f), Md5);

    /// <summary>Checks an ext4 partition file with e2fsck -fn (exit 0 = clean) and returns its files' sums (debugfs rdump).</summary>
    public static IReadOnlyDictionary<string, string> CheckExt4AndReadFiles(string partition, string scratch)
    {
        Run("e2fsck", "-fn", partition);
        var output = Directory.CreateDirectory(Path.Combine(scratch, "rdump-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        Run("debugfs", "-R", $"rdump / {output}", partition);
        return FileSums(output);
    }
}
