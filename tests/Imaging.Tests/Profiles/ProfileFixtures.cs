using System.Buffers.Binary;
using System.Text;
using OgActors.Imaging.Tests.Fixtures;

namespace OgActors.Imaging.Tests.Profiles;

/// <summary>
/// Filesystem trees and Windows hives for profile tests, made with the real tools:
/// a Debian-like tree (this machine's own <c>/var/lib/dpkg/status</c> and <c>os-release</c>, Debian's
/// <c>/etc/os-release → ../usr/lib/os-release</c> symlink, a kernel in <c>/boot</c>), and a SOFTWARE hive populated by
/// <c>hivexsh -w</c>.
/// </summary>
public static class ProfileFixtures
{
    public const string Kernel = "6.1.0-18-amd64";

    /// <summary>
    /// A root tree: usr/lib/os-release (this machine's), etc/os-release → ../usr/lib/os-release, boot/vmlinuz-KERNEL,
    /// var/lib/dpkg/status = this machine's status plus <paramref name="extraParagraphs"/>, with the versions in
    /// <paramref name="upgrades"/> (package → new version) rewritten.
    /// </summary>
    public static string DebianTree(ImageFactory factory, string name, string extraParagraphs = "", IReadOnlyDictionary<string, string>? upgrades = null)
    {
        var root = factory.PathOf(name);
        foreach (var d in new[] { "etc", "usr/lib", "var/lib/dpkg", "boot", "home/student" }) Directory.CreateDirectory(Path.Combine(root, d));
        File.Copy(RealOsRelease, Path.Combine(root, "usr/lib/os-release"));
        File.CreateSymbolicLink(Path.Combine(root, "etc/os-release"), "../usr/lib/os-release");
        File.WriteAllBytes(Path.Combine(root, $"boot/vmlinuz-{Kernel}"), new byte[4096]);
        File.WriteAllBytes(Path.Combine(root, $"boot/initrd.img-{Kernel}"), new byte[4096]);
        var status = File.ReadAllText("/var/lib/dpkg/status");
        foreach (var (package, version) in upgrades ?? new Dictionary<string, string>())
        {
            var at = status.IndexOf($"Package: {package}\n", StringComparison.Ordinal);
            var v = status.IndexOf("\nVersion: ", at, StringComparison.Ordinal) + "\nVersion: ".Length;
            var end = status.IndexOf('\n', v);
            status = status[..v] + version + status[end..];
        }
        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), status.TrimEnd('\n') + "\n" + (extraParagraphs.Length > 0 ? "\n" + extraParagraphs : ""));
        return root;
    }

    /// <summary>A dpkg status paragraph of an installed package.</summary>
    public static string Paragraph(string package, string version, string status = "install ok installed", string arch = "amd64", string? multiArch = null) =>
        $"Package: {package}\nStatus: {status}\nPriority: optional\nSection: misc\nInstalled-Size: 12\nMaintainer: Test <t@example.org>\nArchitecture: {arch}\n"
        + (multiArch is null ? "" : $"Multi-Arch: {multiArch}\n") + $"Version: {version}\nDescription: fixture package {package}\n continuation line\n\n";

    /// <summary>The os-release file this machine's Debian uses (/etc/os-release resolved).</summary>
    public static string RealOsRelease => new FileInfo("/etc/os-release").ResolveLinkTarget(true)?.FullName ?? "/etc/os-release";

    /// <summary>NAME, VERSION_ID, … of this machine's os-release, read by the shell (the oracle for the parser).</summary>
    public static string ShellField(string field) =>
        ToolRunner.Shell($". {ToolRunner.Q(RealOsRelease)}; printf '%s' \"${{{field}:-}}\"").Trim();

    /// <summary>What dpkg-query itself lists from a dpkg database directory: name, version, status word per package.</summary>
    public static IReadOnlyList<(string Name, string Version, string State)> DpkgQuery(string adminDir) =>
        ToolRunner.Run("dpkg-query", $"--admindir={adminDir}", "-W", "-f=${binary:Package}\\t${Version}\\t${db:Status-Status}\\n")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).Where(p => p.Length == 3)
            .Select(p => (p[0], p[1], p[2])).OrderBy(p => p.Item1, StringComparer.Ordinal).ToList();

    /// <summary>
    /// A SOFTWARE hive: an empty hive (the 4 KiB regf header and one 4 KiB hbin holding the root key and its security
    /// cell — hivex cannot create a hive from nothing), then every key and value added by <c>hivexsh -w</c>.
    /// </summary>
    public static string SoftwareHive(ImageFactory factory, string name, string product, string displayVersion, string build, int ubr,
        IReadOnlyList<(string Key, string DisplayName, string Version)> programs)
    {
        var path = factory.PathOf(name);
        File.WriteAllBytes(path, EmptyHive());
        var script = new StringBuilder();
        script.Append("add Microsoft\ncd Microsoft\nadd Windows NT\ncd Windows NT\nadd CurrentVersion\ncd CurrentVersion\n");
        script.Append($"setval 5\nProductName\nstring:{product}\nDisplayVersion\nstring:{displayVersion}\nCurrentBuild\nstring:{build}\nEditionID\nstring:Professional\nUBR\ndword:{ubr}\n");
        script.Append("cd \\Microsoft\nadd Windows\ncd Windows\nadd CurrentVersion\ncd CurrentVersion\nadd Uninstall\ncd Uninstall\n");
        foreach (var (key, display, version) in programs)
            script.Append($"add {key}\ncd {key}\nsetval 2\nDisplayName\nstring:{display}\nDisplayVersion\nstring:{version}\ncd ..\n");
        script.Append("add KB-without-name\ncommit\n");
        var file = factory.PathOf(name + ".hivexsh");
        File.WriteAllText(file, script.ToString());
        ToolRunner.Shell($"hivexsh -w {ToolRunner.Q(path)} < {ToolRunner.Q(file)}");
        return path;
    }

    /// <summary>
    /// An NTFS filesystem holding <c>Windows/System32/config/SOFTWARE</c>: mkntfs, then the hive copied in through an
    /// ntfs-3g (FUSE) mount made only to build the fixture; the code under test never mounts.
    /// </summary>
    public static string NtfsWithHive(ImageFactory factory, string name, string hive, int sizeMiB = 16)
    {
        var fs = factory.MakeNtfs(name, sizeMiB);
        var mount = Directory.CreateDirectory(factory.PathOf(name + ".mnt")).FullName;
        ToolRunner.Run("ntfs-3g", fs, mount);
        try
        {
            Directory.CreateDirectory(Path.Combine(mount, "Windows/System32/config"));
            Directory.CreateDirectory(Path.Combine(mount, "Users"));
            File.Copy(hive, Path.Combine(mount, "Windows/System32/config/SOFTWARE"));
        }
        finally
        {
            ToolRunner.Run("umount", mount);
        }
        return fs;
    }

    private static byte[] EmptyHive()
    {
        var hive = new byte[8192];
        var header = hive.AsSpan(0, 4096);
        "regf"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 1);      // sequence numbers (equal: consistent)
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1);     // major version
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], 3);     // minor version
        BinaryPrimitives.WriteUInt32LittleEndian(header[32..], 1);     // format: direct memory load
        BinaryPrimitives.WriteUInt32LittleEndian(header[36..], 0x20);  // root key cell offset (in the hive bins)
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], 4096);  // hive bins data size
        BinaryPrimitives.WriteUInt32LittleEndian(header[44..], 1);     // clustering factor
        uint checksum = 0;
        for (var i = 0; i < 0x1FC; i += 4) checksum ^= BinaryPrimitives.ReadUInt32LittleEndian(header[i..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x1FC..], checksum);

        var bin = hive.AsSpan(4096, 4096);
        "hbin"u8.CopyTo(bin);
        BinaryPrimitives.WriteUInt32LittleEndian(bin[8..], 4096);      // bin size (offset 0)
        const int root = 0x20, rootCell = 88, sk = root + rootCell;
        // root key (nk): flags = hive entry | no delete | compressed name
        var nk = bin.Slice(root, rootCell);
        BinaryPrimitives.WriteInt32LittleEndian(nk, -rootCell);
        "nk"u8.CopyTo(nk[4..]);
        BinaryPrimitives.WriteUInt16LittleEndian(nk[6..], 0x2C);
        BinaryPrimitives.WriteInt32LittleEndian(nk[(4 + 28)..], -1);      // subkey list
        BinaryPrimitives.WriteInt32LittleEndian(nk[(4 + 32)..], -1);      // volatile subkey list
        BinaryPrimitives.WriteInt32LittleEndian(nk[(4 + 40)..], -1);      // value list
        BinaryPrimitives.WriteInt32LittleEndian(nk[(4 + 44)..], sk);      // security cell
        BinaryPrimitives.WriteInt32LittleEndian(nk[(4 + 48)..], -1);      // class name
        BinaryPrimitives.WriteUInt16LittleEndian(nk[(4 + 72)..], 4);      // name length
        "ROOT"u8.CopyTo(nk[(4 + 76)..]);
        // security cell (sk): links to itself, one reference, a self-relative descriptor with an empty DACL
        const int skCell = 56;
        var s = bin.Slice(sk, skCell);
        BinaryPrimitives.WriteInt32LittleEndian(s, -skCell);
        "sk"u8.CopyTo(s[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(s[8..], sk);
        BinaryPrimitives.WriteInt32LittleEndian(s[12..], sk);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], 28);
        var sd = s[24..];
        sd[0] = 1;                                                     // revision
        BinaryPrimitives.WriteUInt16LittleEndian(sd[2..], 0x8004);     // self-relative, DACL present
        BinaryPrimitives.WriteUInt32LittleEndian(sd[16..], 20);        // DACL offset
        sd[20] = 2;                                                    // ACL revision
        BinaryPrimitives.WriteUInt16LittleEndian(sd[22..], 8);         // ACL size, no entries
        // the rest of the bin is one free cell
        BinaryPrimitives.WriteInt32LittleEndian(bin[(sk + skCell)..], 4096 - sk - skCell);
        return hive;
    }
}
