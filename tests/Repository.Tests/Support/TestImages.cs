namespace OgActors.Repository.Tests.Support;

/// <summary>
/// Real partition images made by the real tools, once per test run: a small ext4 filesystem (mkfs.ext4 -d over
/// seeded files) captured with partclone.extfs, then compressed with lzop or gzip. Variants differ in content.
/// </summary>
internal static class TestImages
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"og-repo-test-images-{Environment.ProcessId}");
    private static readonly Lock Gate = new();

    static TestImages() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    };

    /// <summary>The uncompressed partclone stream of variant <paramref name="variant"/>.</summary>
    public static string PartcloneStream(int variant)
    {
        lock (Gate)
        {
            var stream = Path.Combine(Root, $"v{variant}.ptcl");
            if (File.Exists(stream)) return stream;
            var content = Path.Combine(Root, $"v{variant}-content");
            Directory.CreateDirectory(content);
            var random = new Random(variant);
            for (var i = 0; i < 3; i++)
            {
                var data = new byte[700_000 + variant * 10_000];
                random.NextBytes(data);
                File.WriteAllBytes(Path.Combine(content, $"file{i}.bin"), data);
            }
            File.WriteAllText(Path.Combine(content, "readme.txt"), string.Concat(Enumerable.Repeat($"variant {variant}\n", 20_000)));
            var fs = Path.Combine(Root, $"v{variant}.ext4");
            Tool.Run($"truncate -s 12M {Tool.Quote(fs)} && mkfs.ext4 -q -F -d {Tool.Quote(content)} {Tool.Quote(fs)}");
            Tool.Run($"partclone.extfs -c -s {Tool.Quote(fs)} -o {Tool.Quote(stream + ".tmp")} -L /dev/null >/dev/null 2>&1 && mv {Tool.Quote(stream + ".tmp")} {Tool.Quote(stream)}");
            return stream;
        }
    }

    /// <summary>partclone.extfs | lzop: OpenGnsys's default image (PARTCLONE:LZOP:EXTFS).</summary>
    public static string Lzop(int variant) => Compressed(variant, "lzo", "lzop -c");

    /// <summary>partclone.extfs | gzip: Clonezilla's and FOG's classic image.</summary>
    public static string Gzip(int variant) => Compressed(variant, "gz", "gzip -c --fast");

    private static string Compressed(int variant, string extension, string compressor)
    {
        var stream = PartcloneStream(variant);
        lock (Gate)
        {
            var path = Path.Combine(Root, $"v{variant}.ptcl.{extension}");
            if (!File.Exists(path)) Tool.Run($"{compressor} < {Tool.Quote(stream)} > {Tool.Quote(path + ".tmp")} && mv {Tool.Quote(path + ".tmp")} {Tool.Quote(path)}");
            return path;
        }
    }
}
