using System.Runtime.InteropServices;

namespace OgActors.ClientNode.Master;

/// <summary>
/// A named pipe (FIFO): how a live capture reaches udp-sender without a copy on disk — the session engine reads its
/// "image file", which is this pipe, while partclone | lzop writes into it.
/// </summary>
internal static class Fifo
{
    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);

    private const int ReadOnlyNonBlocking = 0x800; // O_RDONLY | O_NONBLOCK (Linux)

    public static void Create(string path)
    {
        if (MakeFifo(path, Convert.ToUInt32("600", 8)) != 0)
            throw new IOException($"The pipe {path} could not be made (errno {Marshal.GetLastPInvokeError()}).");
    }

    /// <summary>Opens and closes the read end without blocking: a writer blocked opening the pipe goes on (and then fails on its first write).</summary>
    public static void ReleaseWriter(string path)
    {
        var fd = Open(path, ReadOnlyNonBlocking);
        if (fd >= 0) Close(fd);
    }
}
