using OgActors.Imaging.Formats;
using OgActors.Imaging.Profiles;
using OgActors.Imaging.Tests.Fixtures;

namespace OgActors.Imaging.Tests.Profiles;

/// <summary>
/// Profiles read from real images made here: ext4 (mkfs.ext4 -d from a tree with this machine's dpkg database and
/// os-release), NTFS (mkntfs, with and without a SOFTWARE hive made by hivexsh), FAT (mkfs.vfat + mtools), each
/// captured with partclone and compressed with lzop, then read by <see cref="ProfileExtractor"/> with no mount.
/// </summary>
public sealed class ProfileExtractionTests : IDisposable
{
    private readonly ImageFactory _factory = new("profiles");
    private readonly string _scratch;

    public ProfileExtractionTests() => _scratch = Directory.CreateDirectory(_factory.PathOf("scratch")).FullName;

    public void Dispose() => _factory.Dispose();

    private string Capture(string fs, string device, string name) =>
        _factory.Compress(_factory.Partclone(fs, device, name + ".ptcl"), Compressor.Lzop, name + ".img");

    [Fact]
    public async Task An_ext4_image_lists_its_os_kernel_and_exactly_the_packages_dpkg_query_lists()
    {
        var tree = ProfileFixtures.DebianTree(_factory, "root1",
            ProfileFixtures.Paragraph("og-removed-keeps-config", "1.0-1", "deinstall ok config-files")
            + ProfileFixtures.Paragraph("og-purged", "2.0", "purge ok not-installed")
            + ProfileFixtures.Paragraph("og-libfoo", "3.1-2", multiArch: "same")
            + ProfileFixtures.Paragraph("og-foreign", "0.9", arch: "i386"));
        var image = Capture("extfs", _factory.MakeExt("root1.ext4", 48, tree), "debian1");

        var progress = new List<ProfileProgress>();
        var profile = await new ProfileExtractor(_scratch).ReadAsync(image, new SyncProgress(progress.Add));

        profile.Filesystem.Should().Be("ext4");
        profile.OperatingSystem.Should().Be(ProfileFixtures.ShellField("NAME")).And.NotBeEmpty();
        profile.Version.Should().Be(ProfileFixtures.ShellField("VERSION_ID"));
        profile.OsId.Should().Be(ProfileFixtures.ShellField("ID"));
        profile.Facts["os-release"].Should().Be("/usr/lib/os-release", "Debian's /etc/os-release is a symlink to it");
        profile.Kernels.Should().Equal(ProfileFixtures.Kernel);
        profile.PackageSource.Should().Be("dpkg");
        var expected = ProfileFixtures.DpkgQuery(Path.Combine(tree, "var/lib/dpkg"));
        expected.Should().Contain(("og-removed-keeps-config", "1.0-1", "config-files")).And.Contain(("og-libfoo:amd64", "3.1-2", "installed"))
            .And.Contain(("og-foreign:i386", "0.9", "installed")).And.NotContain(p => p.Name == "og-purged");
        profile.Software.Select(s => (s.Name, s.Version, s.State)).Should().Equal(expected);
        profile.TopLevel.Should().Contain(["boot/", "etc/", "home/", "usr/", "var/"]);
        profile.Facts["label"].Should().Be("fixture");
        profile.FilesystemBytes.Should().Be(48L << 20);
        profile.Unreadable.Should().BeEmpty();
        profile.Line.Should().Be($"{ProfileFixtures.ShellField("NAME")} {ProfileFixtures.ShellField("VERSION_ID")}, {expected.Count(p => p.State == "installed")} packages");
        progress.Select(p => p.Stage).Should().Contain("restoring").And.Contain("reading");
        Directory.EnumerateFileSystemEntries(_scratch).Should().BeEmpty("the scratch copy is deleted");
    }

    [Fact]
    public async Task A_second_revision_with_packages_added_and_upgraded_lists_them()
    {
        var status = File.ReadAllText("/var/lib/dpkg/status");
        var some = status.Split("\n\n").Select(p => p.Split('\n')[0]).First(l => l.StartsWith("Package: ", StringComparison.Ordinal))["Package: ".Length..];
        var tree = ProfileFixtures.DebianTree(_factory, "root2",
            ProfileFixtures.Paragraph("og-new-editor", "5.0-1") + ProfileFixtures.Paragraph("og-new-browser", "120.0-1"),
            new Dictionary<string, string> { [some] = "99:1.0-1" });
        var image = Capture("extfs", _factory.MakeExt("root2.ext4", 48, tree), "debian2");

        var profile = await new ProfileExtractor(_scratch).ReadAsync(image);

        profile.Software.Should().Contain(new InstalledSoftware("og-new-editor", "5.0-1")).And.Contain(new InstalledSoftware("og-new-browser", "120.0-1"));
        profile.Software.Single(s => s.Name == some || s.Name.StartsWith(some + ":", StringComparison.Ordinal)).Version.Should().Be("99:1.0-1");
        profile.Software.Select(s => (s.Name, s.Version, s.State)).Should().Equal(ProfileFixtures.DpkgQuery(Path.Combine(tree, "var/lib/dpkg")));
    }

    [Fact]
    public async Task An_ext4_without_os_release_kernels_or_dpkg_records_what_it_could_not_read_and_an_rpm_database()
    {
        var tree = _factory.PathOf("bare");
        Directory.CreateDirectory(Path.Combine(tree, "var/lib/rpm"));
        File.WriteAllBytes(Path.Combine(tree, "var/lib/rpm/rpmdb.sqlite"), new byte[1024]);
        Directory.CreateDirectory(Path.Combine(tree, "data"));
        var image = Capture("extfs", _factory.MakeExt("bare.ext4", 16, tree), "bare");

        var profile = await new ProfileExtractor(_scratch).ReadAsync(image);

        profile.OperatingSystem.Should().BeEmpty();
        profile.Software.Should().BeEmpty();
        profile.Facts["rpm-database"].Should().Be("/var/lib/rpm/rpmdb.sqlite");
        profile.Unreadable.Select(u => u.What).Should().BeEquivalentTo(["operating system", "kernels", "packages"]);
        profile.Unreadable.Single(u => u.What == "operating system").Why.Should().Contain("os-release");
        profile.Unreadable.Single(u => u.What == "packages").Why.Should().Contain("RPM database is at /var/lib/rpm/rpmdb.sqlite");
        profile.Line.Should().Be("unknown OS (ext4)");
    }

    [Fact]
    public async Task An_ntfs_image_without_windows_gives_the_volume_facts_and_says_why_there_is_no_os()
    {
        var ntfs = _factory.MakeNtfs("data.ntfs", 16);
        var image = Capture("ntfs", ntfs, "data");

        var profile = await new ProfileExtractor(_scratch).ReadAsync(image);

        profile.Filesystem.Should().Be("ntfs");
        profile.Facts["label"].Should().Be("fixture");
        profile.Facts["ntfs-version"].Should().Be("3.1");
        profile.FilesystemBytes.Should().BeGreaterThan(15L << 20).And.BeLessThanOrEqualTo(16L << 20);
        profile.Unreadable.Should().ContainSingle(u => u.What == "operating system").Which.Why.Should().Contain("no /Windows/System32/config/SOFTWARE");
        Directory.EnumerateFileSystemEntries(_scratch).Should().BeEmpty();
    }

    [Fact]
    public async Task An_ntfs_image_with_a_software_hive_gives_windows_edition_version_build_and_programs()
    {
        var hive = ProfileFixtures.SoftwareHive(_factory, "SOFTWARE", "Windows 10 Pro", "22H2", "19045", 3803,
            [("Mozilla Firefox 120.0 (x64 en-US)", "Mozilla Firefox (x64 en-US)", "120.0"), ("7-Zip", "7-Zip 23.01 (x64)", "23.01")]);
        var image = Capture("ntfs", ProfileFixtures.NtfsWithHive(_factory, "win.ntfs", hive), "win");

        var profile = await new ProfileExtractor(_scratch).ReadAsync(image);

        profile.OperatingSystem.Should().Be("Windows 10 Pro");
        profile.Version.Should().Be("22H2");
        profile.Facts["build"].Should().Be("19045.3803");
        profile.Facts["edition"].Should().Be("Professional");
        profile.PackageSource.Should().Be("windows");
        profile.Software.Should().Equal(new InstalledSoftware("7-Zip 23.01 (x64)", "23.01"), new InstalledSoftware("Mozilla Firefox (x64 en-US)", "120.0"));
        profile.TopLevel.Should().Contain(["Users/", "Windows/"]);
        profile.Unreadable.Should().BeEmpty();
        profile.Line.Should().Be("Windows 10 Pro 22H2, 2 programs");
        Directory.EnumerateFileSystemEntries(_scratch).Should().BeEmpty("the scratch copy and the extracted hive are deleted");
    }

    [Fact]
    public async Task A_fat_image_gives_its_label_and_top_level_entries()
    {
        var fat = _factory.MakeVfat("efi.fat", 40);
        ToolRunner.Run("mmd", "-i", fat, "::/EFI");
        ToolRunner.Run("mcopy", "-i", fat, "/etc/hostname", "::/readme.txt");
        var image = Capture("fat", fat, "efi");

        var profile = await new ProfileExtractor(_scratch).ReadAsync(image);

        profile.Filesystem.Should().Be("vfat");
        profile.Facts["label"].Should().Be("FIXTURE");
        profile.TopLevel.Should().Equal("EFI/", "readme.txt");
        profile.Unreadable.Should().ContainSingle(u => u.What == "software");
    }

    [Fact]
    public async Task A_truncated_image_is_recorded_as_unreadable_in_one_sentence_and_its_scratch_copy_deleted()
    {
        var tree = ProfileFixtures.DebianTree(_factory, "root3");
        var image = Capture("extfs", _factory.MakeExt("root3.ext4", 48, tree), "cut");
        var cut = _factory.TruncatedCopy(image, new FileInfo(image).Length / 2, "cut-half.img");

        var profile = await new ProfileExtractor(_scratch).ReadAsync(cut);

        profile.Unreadable.Should().ContainSingle().Which.Why.Should().StartWith("the image could not be restored to a scratch file:");
        profile.Software.Should().BeEmpty();
        Directory.EnumerateFileSystemEntries(_scratch).Should().BeEmpty();
    }

    [Fact]
    public async Task An_uncompressed_raw_image_is_read_in_place_without_a_scratch_copy()
    {
        var raw = _factory.MakeExt("raw.img", 16, ProfileFixtures.DebianTree(_factory, "root4"));
        var progress = new List<ProfileProgress>();

        var profile = await new ProfileExtractor(Path.Combine(_scratch, "never-made")).ReadAsync(raw, new SyncProgress(progress.Add));

        profile.PackageSource.Should().Be("dpkg");
        progress.Select(p => p.Stage).Should().NotContain("restoring");
        Directory.Exists(Path.Combine(_scratch, "never-made")).Should().BeFalse();
    }

    private sealed class SyncProgress(Action<ProfileProgress> report) : IProgress<ProfileProgress>
    {
        public void Report(ProfileProgress value) { lock (this) report(value); }
    }
}
