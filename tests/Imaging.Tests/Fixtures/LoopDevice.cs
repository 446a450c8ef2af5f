namespace OgActors.Imaging.Tests.Fixtures;

/// <summary>A file attached to a free loop device (`losetup -f --show`) for tools that insist on block devices (partimage); detached on dispose.</summary>
public sealed class LoopDevice : IDisposable
{
    public string Device { get; }

    public LoopDevice(string file)
    {
        Device = ToolRunner.Run("losetup", "-f", "--show", file).Trim().Split('\n')[0].Trim();
        if (!Device.StartsWith("/dev/loop", StringComparison.Ordinal))
            throw new InvalidOperationException($"losetup gave no loop device: {Device}");
    }

    /// <summary>True when this machine can attach loop devices (checked by attaching a 1 MiB file).</summary>
    public static bool Available()
    {
        var probe = Path.Combine(Path.GetTempPath(), $"loopprobe-{Guid.NewGuid():N}");
        try
        {
            using (var f = File.Create(probe)) f.SetLength(1 << 20);
            using var loop = new LoopDevice(probe);
            return true;
        }
        catch (Exception) { return false; }
        finally { File.Delete(probe); }
    }

    public void Dispose()
    {
        try { ToolRunner.Run("losetup", "-d", Device); } catch (InvalidOperationException) { /* already detached */ }
    }
}
