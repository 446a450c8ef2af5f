using OgActors.Imaging.Pipelines;

namespace OgActors.ClientNode.Tests.Support;

/// <summary>
/// Real partitions and images, made once per test run by the real tools: an ext4 filesystem built with
/// <c>mkfs.ext4 -d</c> over seeded files, captured with the Imaging capture pipeline (partclone.extfs | lzop, as
/// OpenGnsys). Variants differ in content; <see cref="SizeMiB"/> sets the partition size.
/// </summary>
public static class TestImages
{
    public const int SizeMiB = 48;
    public static readonly string Root = Directory.CreateTempSubdirectory("og-client-test-images-").FullName;
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<int, (string Partition, string Image)> Made = new();

    static TestImages() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    };

    /// <summary>The source ext4 partition and its PARTCLONE:LZOP:EXTFS image, for <paramref name="variant"/>.</summary>
    public static async Task<(string Partition, string Image)> Ext4Async(int variant)
    {
        await Gate.WaitAsync();
        try
        {
            if (Made.TryGetValue(variant, out var made)) return made;
            var content = Directory.CreateDirectory(Path.Combine(Root, $"v{variant}-content")).FullName;
            var random = new Random(variant);
            Directory.CreateDirectory(Path.Combine(content, "etc"));
            for (var i = 0; i < 4; i++)
            {
                var data = new byte[3_000_000 + variant * 1000];
                random.NextBytes(data);
                await File.WriteAllBytesAsync(Path.Combine(content, $"data{i}.bin"), data);
            }
            await File.WriteAllTextAsync(Path.Combine(content, "etc", "hostname"), $"model-{variant}\n");
            await File.WriteAllTextAsync(Path.Combine(content, "readme.txt"), string.Concat(Enumerable.Repeat($"variant {variant}\n", 50_000)));
            var partition = Path.Combine(Root, $"v{variant}.ext4");
            Tools.Run("truncate", "-s", $"{SizeMiB}M", partition);
            Tools.Run("mkfs.ext4", "-q", "-F", "-d", content, partition);
            var image = Path.Combine(Root, $"v{variant}.img");
            await CapturePipeline.CaptureToFileAsync(partition, image);
            return Made[variant] = (partition, image);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The files of variant <paramref name="variant"/>'s source partition, with their MD5s.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> SourceFilesAsync(int variant)
    {
        await Ext4Async(variant);
        return Tools.FileSums(Path.Combine(Root, $"v{variant}-content"));
    }

    /// <summary>An empty file of <paramref name="mib"/> MiB filled with 0xAB, as a target partition.</summary>
    public static string TargetPartition(string folder, string name, int mib = SizeMiB)
    {
        var path = Path.Combine(folder, name);
        var block = Enumerable.Repeat((byte)0xAB, 1 << 20).ToArray();
        using var file = File.Create(path);
        for (var i = 0; i < mib; i++) file.Write(block);
        return path;
    }
}
