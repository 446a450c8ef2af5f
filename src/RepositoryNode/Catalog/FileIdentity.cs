using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace OgActors.RepositoryNode.Catalog;

/// <summary>
/// What the file system says identifies one version of a file beyond its size and modification time: the change
/// time (ctime, which no user-space call can set back, unlike mtime with <c>touch -r</c>) and the device and inode
/// (a file replaced by another under the same name). Read with Linux <c>statx(2)</c>, whose buffer has the same layout
/// on every architecture.
/// </summary>
public static class FileIdentity
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxSize = 256;

    [DllImport("libc", SetLastError = true, EntryPoint = "statx")]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    /// <summary>(change time, device, inode) of <paramref name="path"/>, or null when it does not exist or cannot be read.</summary>
    public static (DateTimeOffset ChangedAt, long Device, long Inode)? Of(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var buffer = new byte[StatxSize];
        if (Statx(AtFdCwd, path, 0, StatxBasicStats, buffer) != 0) return null;
        var b = buffer.AsSpan();
        long inode = BinaryPrimitives.ReadInt64LittleEndian(b[32..]);
        long seconds = BinaryPrimitives.ReadInt64LittleEndian(b[96..]);     // stx_ctime.tv_sec
        uint nanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(b[104..]); // stx_ctime.tv_nsec
        long device = ((long)BinaryPrimitives.ReadUInt32LittleEndian(b[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(b[140..]); // stx_dev_major, _minor
        var changed = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanoseconds / 100);
        return (changed, device, inode);
    }
}
