namespace OgActors.Imaging.Tests.Pipelines;

/// <summary>A file attached to a free loop device for the test's duration (partimage works only on block devices).</summary>
internal sealed class LoopDevice : IDisposable
{
    public LoopDevice(string file) => Path = Shell.Run("losetup", "--find", "--show", file).Trim();

    public string Path { get; }

    public void Dispose() => Shell.Run("losetup", "--detach", Path);
}
