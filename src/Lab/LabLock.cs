namespace OgActors.Lab;

/// <summary>
/// DIR/lab.lock, held open with <see cref="FileShare.None"/> (an exclusive flock on Linux) while a lab runs on DIR, so a
/// second lab on the same data directory is refused instead of sharing its files. The kernel releases it when the
/// process dies, so a crashed lab never blocks the next start.
/// </summary>
public sealed class LabLock : IDisposable
{
    public const string FileName = "lab.lock";
    private readonly FileStream _stream;

    private LabLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock or throws <see cref="LabBusyException"/> with one sentence.</summary>
    public static LabLock Take(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, FileName);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId + "\n");
            stream.Write(pid);
            stream.Flush();
            return new LabLock(stream);
        }
        catch (IOException)
        {
            throw new LabBusyException($"Another lab is already running on {dataDir} (it holds {path}); stop it first or use another --data.");
        }
    }

    public void Dispose() => _stream.Dispose();
}

/// <summary>A lab already runs on this data directory.</summary>
public sealed class LabBusyException(string message) : IOException(message);
