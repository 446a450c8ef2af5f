using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using OgActors.Messages.Profiles;
using OgActors.Messages.Repositories;
using OgActors.Repository.Tests.Support;
using OgActors.RepositoryNode.Catalog;
using OgActors.RepositoryNode.Profiles;

namespace OgActors.Repository.Tests.Profiles;

/// <summary>
/// The repository reads the software profile of each image after it became ready, in the background: a real
/// RepositoryActor and ProfileReaderActor on a one-member cluster, real ext4 images with this machine's dpkg database
/// captured with partclone + lzop, and the file events a coordinator would receive.
/// </summary>
public sealed class ProfileReaderTests : RepositoryTestBase
{
    private IActorRef _reader = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _reader = Sys.ActorOf(ProfileReaderActor.Props(Settings with { HttpAddress = BaseUrl }, new ProfileSettings { MaxConcurrent = 1, ScratchDirectory = Scratch },
            Mediator), "profile-reader");
        await Task.Delay(500); // the reader's subscriptions spread
    }

    /// <summary>A Debian-like ext4 (this machine's dpkg status + extra packages, os-release, a kernel) as partclone | lzop.</summary>
    private string DebianImage(string name, string extra = "")
    {
        var dir = Directory.CreateTempSubdirectory("og-profile-img-").FullName;
        var tree = Path.Combine(dir, "root");
        Tool.Run($"""
            mkdir -p {Tool.Quote(tree)}/etc {Tool.Quote(tree)}/usr/lib {Tool.Quote(tree)}/var/lib/dpkg {Tool.Quote(tree)}/boot
            cp "$(readlink -f /etc/os-release)" {Tool.Quote(tree)}/usr/lib/os-release && ln -s ../usr/lib/os-release {Tool.Quote(tree)}/etc/os-release
            head -c 4096 /dev/zero > {Tool.Quote(tree)}/boot/vmlinuz-6.1.0-18-amd64
            ( cat /var/lib/dpkg/status; printf '%s' {Tool.Quote(extra)} ) > {Tool.Quote(tree)}/var/lib/dpkg/status
            truncate -s 48M {Tool.Quote(dir)}/fs && mkfs.ext4 -q -F -L {name} -d {Tool.Quote(tree)} {Tool.Quote(dir)}/fs
            partclone.extfs -c -s {Tool.Quote(dir)}/fs -o - -L /dev/null 2>/dev/null | lzop -c > {Tool.Quote(dir)}/{name}.img
            """);
        _cleanup.Add(dir);
        return Path.Combine(dir, $"{name}.img");
    }

    private readonly List<string> _cleanup = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var d in _cleanup) try { Directory.Delete(d, true); } catch (IOException) { }
    }

    private static string Package(string name, string version) =>
        $"\nPackage: {name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: {version}\nDescription: test\n";

    private static IReadOnlyList<(string, string)> DpkgQueryOf(string statusText)
    {
        var admin = Directory.CreateTempSubdirectory("og-dpkg-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(admin, "status"), statusText);
            return Tool.Run($"dpkg-query --admindir={Tool.Quote(admin)} -W -f='${{binary:Package}}\\t${{Version}}\\n'")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).Select(p => (p[0], p[1])).Order().ToList();
        }
        finally { Directory.Delete(admin, true); }
    }

    [Fact]
    public async Task A_ready_image_gets_its_profile_read_in_the_background_and_a_new_revision_shows_the_added_packages()
    {
        var extra = Package("og-new-editor", "5.0-1") + Package("og-new-browser", "120.0-1");
        ArriveByRename(DebianImage("debian"), "debian");
        var ready = ExpectFileEvent<ImageFileAvailable>(f => f.CanonicalName == "debian");
        ExpectFileEvent<ImageProfileProgress>(p => p.CanonicalName == "debian" && p.Stage == "queued").FullSum.Should().Be(ready.FullSum);
        ExpectFileEvent<ImageProfileProgress>(p => p.CanonicalName == "debian" && p.Stage == "restoring");
        var first = ExpectFileEvent<ImageProfileRead>(p => p.CanonicalName == "debian", TimeSpan.FromMinutes(2)).Profile;

        first.FullSum.Should().Be(ready.FullSum);
        first.Repository.Should().Be("repo-test");
        first.OperatingSystem.Should().NotBeEmpty();
        first.Kernels.Should().Equal("6.1.0-18-amd64");
        first.Packages.Select(p => (p.Name, p.Version)).Order().Should().Equal(DpkgQueryOf(File.ReadAllText("/var/lib/dpkg/status")));
        first.ImageBytes.Should().Be(ready.Size);
        var sidecar = Path.Combine(ImagesDirectory, "debian.img.profile.json");
        File.Exists(sidecar).Should().BeTrue();
        Directory.EnumerateFiles(Scratch).Should().BeEmpty("the scratch copy is deleted after the read");

        // A new capture of the same image with two packages more: its own profile, and the diff names them.
        File.Move(DebianImage("debian2", extra), Path.Combine(ImagesDirectory, "debian.img.copying"));
        File.Move(Path.Combine(ImagesDirectory, "debian.img.copying"), Path.Combine(ImagesDirectory, "debian.img"), overwrite: true);
        var next = ExpectFileEvent<ImageFileAvailable>(f => f.CanonicalName == "debian" && f.FullSum != ready.FullSum);
        var second = ExpectFileEvent<ImageProfileRead>(p => p.CanonicalName == "debian" && p.Profile.FullSum == next.FullSum, TimeSpan.FromMinutes(2)).Profile;
        second.Packages.Select(p => (p.Name, p.Version)).Order().Should().Equal(DpkgQueryOf(File.ReadAllText("/var/lib/dpkg/status") + extra));

        var diff = ProfileDiff.Between("debian revision 1", first, "debian revision 2", second);
        diff.Added.Should().Equal(new SoftwarePackage("og-new-browser", "120.0-1"), new SoftwarePackage("og-new-editor", "5.0-1"));
        diff.Removed.Should().BeEmpty();
        diff.Changed.Should().BeEmpty();
    }

    [Fact]
    public async Task A_known_profile_is_published_again_without_reading_and_goes_when_the_image_goes()
    {
        ArriveByRename(DebianImage("lab"), "lab");
        var read = ExpectFileEvent<ImageProfileRead>(p => p.CanonicalName == "lab", TimeSpan.FromMinutes(2)).Profile;

        // A coordinator starts: the profile goes out again, from NAME.img.profile.json.
        Mediator.Tell(new Publish(Topics.RepositoryDiscovery, new RequestRepositoryAnnouncements(DateTimeOffset.UtcNow)));
        ExpectFileEvent<ImageProfileRead>(p => p.CanonicalName == "lab").Profile.ReadAt.Should().Be(read.ReadAt);

        // The file is announced again (a repository restart): no second extraction, the same reading.
        _reader.Tell(new ImageFileAvailable("repo-test", "lab", "", Scenario.Info, "s", read.FullSum, "h",
            read.ImageBytes, DateTimeOffset.UtcNow));
        ExpectFileEvent<ImageProfileRead>(p => p.CanonicalName == "lab").Profile.ReadAt.Should().Be(read.ReadAt);

        File.Delete(Path.Combine(ImagesDirectory, "lab.img"));
        ExpectFileEvent<ImageFileRemoved>(f => f.CanonicalName == "lab");
        var sidecar = Path.Combine(ImagesDirectory, "lab.img.profile.json");
        for (var i = 0; i < 100 && File.Exists(sidecar); i++) await Task.Delay(50);
        File.Exists(sidecar).Should().BeFalse();
    }

    [Fact]
    public void Extractions_run_one_at_a_time_with_max_concurrent_1()
    {
        ArriveByRename(DebianImage("one"), "one");
        ArriveByRename(DebianImage("two"), "two");
        var order = new List<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (order.Count(e => e.StartsWith("read", StringComparison.Ordinal)) < 2 && DateTime.UtcNow < deadline)
            switch (FileEvents.ReceiveOne(TimeSpan.FromSeconds(30)))
            {
                case ImageProfileProgress { Stage: "restoring", Percent: 0 } p: order.Add($"start {p.CanonicalName}"); break;
                case ImageProfileRead r: order.Add($"read {r.CanonicalName}"); break;
            }
        order.Should().HaveCount(4);
        order[0].Should().StartWith("start");
        order[1].Should().Be("read " + order[0]["start ".Length..], "the second extraction starts only after the first ended");
        order[2].Should().StartWith("start");
    }

    [Fact]
    public void Scratch_files_a_crash_left_are_deleted_at_start()
    {
        var left = Path.Combine(Scratch, ".og-profile-0123.tmp");
        File.WriteAllText(left, "partial restore");
        var other = Path.Combine(Scratch, "keep.txt");
        File.WriteAllText(other, "not ours");
        Sys.ActorOf(ProfileReaderActor.Props(Settings, new ProfileSettings { ScratchDirectory = Scratch }, Mediator), "second-reader");
        AwaitCondition(() => !File.Exists(left), TimeSpan.FromSeconds(10));
        File.Exists(other).Should().BeTrue();
    }

    [Fact]
    public void Settings_come_from_og_repository_profiles()
    {
        var s = ProfileSettings.From(Akka.Configuration.ConfigurationFactory.ParseString("og.repository.profiles { max-concurrent = 3, scratch-dir = \"/x\", enabled = off }"));
        s.Should().Be(new ProfileSettings { MaxConcurrent = 3, ScratchDirectory = "/x", Enabled = false });
        ProfileSettings.From(null).Should().Be(new ProfileSettings());
    }
}

internal static class Scenario
{
    public static ImageFileInfo Info { get; } = new("PARTCLONE", "LZOP", "EXTFS", 49152, 1, "PARTCLONE:LZOP:EXTFS:49152");
}
