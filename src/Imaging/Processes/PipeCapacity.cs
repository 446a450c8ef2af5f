using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace OgActors.Imaging.Processes;

/// <summary>Raises a pipe's kernel buffer from 64 KiB to 1 MiB (Linux F_SETPIPE_SZ), so each read or write moves more.</summary>
internal static class PipeCapacity
{
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ
    private const int Capacity = 1024 * 1024;

    public static void Enlarge(Stream pipe)
    {
        if (!OperatingSystem.IsLinux() || pipe is not PipeStream { SafePipeHandle: var handle }) return;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            _ = fcntl((int)handle.DangerousGetHandle(), SetPipeSize, Capacity); // best effort: a smaller pipe still works
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int command, int argument);
}
