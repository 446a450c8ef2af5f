using System.Net;
using OgActors.Coordinator.Classrooms;
using OgActors.Coordinator.Domain;
using OgActors.Coordinator.Images;
using OgActors.Coordinator.Sessions;
using OgActors.Coordinator.Tests.Support;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;
using OgActors.Messages.Images;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Tests;

/// <summary>Every validation rule, each refusal one sentence.</summary>
public sealed class ValidationTests
{
    private static readonly ClassroomView Room = new("aula1", "172.17.36.0/24", ClassroomRules.DefaultMulticast(IPNetwork.Parse("172.17.36.0/24")),
        ClassroomRules.DefaultP2P, [new ComputerRecord("pc01", "172.17.36.11", "52:54:00:00:00:01", "repo1", 0, [])], DateTimeOffset.UtcNow, "t");

    [Theory]
    [InlineData("172.17.36.0/24", "239.194.17.36")]
    [InlineData("10.20.30.0/24", "239.194.20.30")]
    [InlineData("192.168.0.0/16", "239.194.168.0")]
    public void The_multicast_group_defaults_to_239_194_from_the_2nd_and_3rd_octets(string network, string group)
    {
        ClassroomRules.CheckNetwork(network, out var parsed).Should().BeNull();
        ClassroomRules.DefaultMulticast(parsed).Should().Be(new MulticastSettings(9000, group, DuplexMode.Full, 90, 0, 120));
    }

    [Theory]
    [InlineData("", "The network is required, as an IPv4 CIDR such as 172.17.36.0/24.")]
    [InlineData("172.17.36.0", "The network '172.17.36.0' is not an IPv4 CIDR such as 172.17.36.0/24.")]
    [InlineData("fe80::/64", "The network 'fe80::/64' is not an IPv4 CIDR such as 172.17.36.0/24.")]
    [InlineData("172.17.36.0/31", "The network '172.17.36.0/31' must have a prefix length between /8 and /30.")]
    [InlineData("172.17.36.9/24", "The network '172.17.36.9/24' has host bits set; write its network address, e.g. 172.17.36.0/24.")]
    public void Bad_networks_are_refused(string network, string sentence) =>
        ClassroomRules.CheckNetwork(network, out _).Should().Be(sentence);

    [Theory]
    [InlineData("pc 2", "172.17.36.12", "52:54:00:00:00:02", "", 0, "The computer name 'pc 2' may only contain letters, digits, '-' and '_', and must start with a letter or digit.")]
    [InlineData("PC01", "172.17.36.12", "52:54:00:00:00:02", "", 0, "Classroom aula1 already has a computer named pc01.")]
    [InlineData("pc02", "172.17.36.300", "52:54:00:00:00:02", "", 0, "The IP address '172.17.36.300' is not an IPv4 address.")]
    [InlineData("pc02", "172.17.37.12", "52:54:00:00:00:02", "", 0, "The IP address 172.17.37.12 is outside classroom aula1's network 172.17.36.0/24.")]
    [InlineData("pc02", "172.17.36.255", "52:54:00:00:00:02", "", 0, "The IP address 172.17.36.255 is the network or broadcast address of 172.17.36.0/24.")]
    [InlineData("pc02", "172.17.36.11", "52:54:00:00:00:02", "", 0, "The IP address 172.17.36.11 is already used by pc01.")]
    [InlineData("pc02", "172.17.36.12", "52:54:00:00:00", "", 0, "The MAC address '52:54:00:00:00' is not 12 hexadecimal digits (e.g. 52:54:00:12:34:56).")]
    [InlineData("pc02", "172.17.36.12", "52-54-00-00-00-01", "", 0, "The MAC address 52:54:00:00:00:01 is already used by pc01.")]
    [InlineData("pc02", "172.17.36.12", "52:54:00:00:00:02", "repo/1", 0, "The repository name 'repo/1' may only contain letters, digits, '-' and '_', and must start with a letter or digit.")]
    [InlineData("pc02", "172.17.36.12", "52:54:00:00:00:02", "", -1, "The cache size cannot be negative.")]
    public void Bad_computers_are_refused(string name, string ip, string mac, string repo, long cache, string sentence) =>
        ClassroomRules.CheckComputer(Room, name, ip, mac, repo, cache).Should().Be(sentence);

    [Fact]
    public void A_good_computer_passes() => ClassroomRules.CheckComputer(Room, "pc02", "172.17.36.12", "525400ABCDEF", "", 8L << 30).Should().BeNull();

    [Theory]
    [InlineData(9000, null)]
    [InlineData(9098, null)]
    [InlineData(9001, "The multicast port 9001 must be even and between 9000 and 9098 (9000, 9002, …).")]
    [InlineData(8998, "The multicast port 8998 must be even and between 9000 and 9098 (9000, 9002, …).")]
    [InlineData(9100, "The multicast port 9100 must be even and between 9000 and 9098 (9000, 9002, …).")]
    public void Multicast_ports_are_even_from_9000_to_9098(int port, string? sentence) => ClassroomRules.CheckPort(port).Should().Be(sentence);

    [Theory]
    [InlineData("10.0.0.1", 90, 0, 60, "The multicast group '10.0.0.1' is not an IPv4 multicast address (224.0.0.0 to 239.255.255.255).")]
    [InlineData("239.194.17.37", 0, 0, 60, "The multicast speed 0 Mbit/s must be between 1 and 100000.")]
    [InlineData("239.194.17.37", 90, -1, 60, "The number of computers to wait for cannot be negative (0 means all).")]
    [InlineData("239.194.17.37", 90, 0, 0, "The maximum wait of 0 s must be between 1 and 86400 seconds.")]
    [InlineData("239.194.17.37", 90, 4, 60, null)]
    public void Multicast_settings_are_checked(string group, int mbps, int wait, int maxWait, string? sentence) =>
        ClassroomRules.CheckMulticast(new MulticastSettings(9002, group, DuplexMode.Full, mbps, wait, maxWait)).Should().Be(sentence);

    [Fact]
    public void P2P_seed_time_is_checked() =>
        ClassroomRules.CheckP2P(new P2PSettings(P2PMode.Leecher, -5)).Should().Be("The seeding time of -5 s must be between 0 and 86400 seconds.");

    [Theory]
    [InlineData("win 11", "The canonical name 'win 11' contains a space, which is not allowed in an image file name.")]
    [InlineData("win\\11", "The canonical name 'win\\11' contains a backslash, which is not allowed in an image file name.")]
    [InlineData("win/11", "The canonical name 'win/11' contains a slash, which is not allowed in an image file name.")]
    [InlineData("win`11", "The canonical name 'win`11' contains a backquote, which is not allowed in an image file name.")]
    [InlineData("win'11", "The canonical name 'win'11' contains a quote, which is not allowed in an image file name.")]
    [InlineData("win.11", "The canonical name 'win.11' contains a dot, which is not allowed in an image file name.")]
    [InlineData("win*11", "The canonical name 'win*11' contains '*', which is not allowed in an image file name.")]
    [InlineData("win\t11", "The canonical name 'win\t11' contains a blank or control character, which is not allowed in an image file name.")]
    [InlineData("wín11", "The canonical name 'wín11' may only use ASCII letters, digits, '-' and '_'.")]
    [InlineData("-win11", "The canonical name '-win11' cannot start with '-'.")]
    [InlineData("", "The canonical name is required.")]
    public void Unsafe_canonical_names_are_refused(string canonical, string sentence) => ImageRules.CheckCanonical(canonical).Should().Be(sentence);

    public static TheoryData<DefineImage, string> BadImages => new()
    {
        { Image() with { DisplayName = " " }, "The image name is required." },
        { Image() with { SoftwareProfile = "" }, "The software profile is required." },
        { Image() with { Partition = 0 }, "The partition 0 must be a number between 1 and 128." },
        { Image() with { PartitionType = "" }, "The partition type is required." },
        { Image() with { PartitionType = "ZFS2" }, $"The partition type 'ZFS2' is not one of {string.Join(", ", ImageRules.PartitionTypes)}." },
        { Image() with { Repository = "" }, "The repository is required." },
        { Image() with { Comments = "" }, "The comments are required." },
    };

    [Theory]
    [MemberData(nameof(BadImages))]
    public void Every_image_field_is_required(DefineImage image, string sentence) => ImageRules.Check(image).Should().Be(sentence);

    private static DefineImage Image() => new("win11", "Windows 11", "W11", 1, "NTFS", "repo1", "lab", "t");

    [Theory]
    [InlineData("PART:2", CloneSourceKind.Partition, 2, "")]
    [InlineData("IMG-CACHE:win11", CloneSourceKind.CacheImage, 0, "win11")]
    [InlineData("img-repo:ubuntu", CloneSourceKind.RepositoryImage, 0, "ubuntu")]
    public void Clone_sources_parse(string text, CloneSourceKind kind, int partition, string image) =>
        SessionPlanner.ParseSource(text).Should().Be(new CloneSource(kind, partition, image));

    [Theory]
    [InlineData("PART:x")]
    [InlineData("DISK:1")]
    [InlineData("IMG-REPO:")]
    public void Bad_clone_sources_do_not_parse(string text) => SessionPlanner.ParseSource(text).Should().BeNull();

    /// <summary>The session rules that need the domain (classrooms and images), checked against a real coordinator.</summary>
    [Fact]
    public async Task Session_commands_are_refused_with_one_sentence()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store);
        var d = host.Domain;
        await Scenario.DefineClassroomAsync(d, "aula1", "10.1.1.0/24", "pc01", "pc02", "pc03");
        await Scenario.DefineClassroomAsync(d, "empty", "10.1.2.0/24");
        await Scenario.AnnounceRepositoryAsync(host);
        await Scenario.DefineLinkedImageAsync(d, "win11");
        (await d.AskAsync(new DefineImage("nofile", "No file", "p", 1, "NTFS", "repo1", "c", "t"))).Should().BeOfType<Accepted>();
        (await d.AddComputerAsync(new AddComputer("empty", "pc01", "10.1.2.50", "52:54:00:99:99:99", "", 0, "t")))
            .Should().Be(new Refused("Computer pc01 already belongs to classroom aula1."));

        async Task Refused(SessionRequest r, string sentence) =>
            (await d.Planner.StartAsync(r, "t")).Should().Be(new Refused(sentence));

        await Refused(new(SessionKind.CreateImage, Computers: ["pc01", "pc02"], Image: "win11", Partition: 1, Repository: "repo1"),
            "Create image acts on exactly one computer.");
        await Refused(new(SessionKind.CreateImage, Computers: ["pc01"], Image: "win11", Partition: 1), "The repository is required.");
        await Refused(new(SessionKind.CreateImage, Computers: ["pc01"], Image: "win11", Repository: "repo1"), "The partition is required (--partition N).");
        await Refused(new(SessionKind.CreateImage, Computers: ["pc01"], Image: "ghost", Partition: 1, Repository: "repo1"), "Image ghost is not defined.");
        await Refused(new(SessionKind.Restore, Computers: ["pc01"], Image: "nofile", Partition: 1), "Image nofile has no file in any repository yet.");
        await Refused(new(SessionKind.Restore, Computers: ["pc01"], Image: "win11", Partition: 200), "The partition 200 must be a number between 1 and 128.");
        await Refused(new(SessionKind.Restore, Classrooms: ["nowhere"], Image: "win11", Partition: 1), "Classroom nowhere does not exist.");
        await Refused(new(SessionKind.Restore, Classrooms: ["empty"], Image: "win11", Partition: 1), "Classroom empty has no computers.");
        await Refused(new(SessionKind.Restore, Computers: ["pc99"], Image: "win11", Partition: 1), "No classroom has a computer named pc99.");
        await Refused(new(SessionKind.Restore, Image: "win11", Partition: 1), "The scope is empty: name classrooms or computers.");
        await Refused(new(SessionKind.Restore, Computers: ["pc01"], Image: "win11", Partition: 1, Repository: "repo9"),
            "Repository repo9 does not hold image win11.");
        await Refused(new(SessionKind.DeployImage, Classrooms: ["aula1"], Image: "win11", Method: TransferMethod.Multicast, Port: 9003),
            "The multicast port 9003 must be even and between 9000 and 9098 (9000, 9002, …).");
        await Refused(new(SessionKind.CloneRemote, Computers: ["pc01"], Master: "pc01", Source: "PART:1", Partition: 1),
            "Remote partition cloning needs a scope of more than one computer.");
        await Refused(new(SessionKind.CloneRemote, Computers: ["pc02", "pc03"], Master: "pc01", Source: "PART:1", Partition: 1),
            "The master pc01 is not in the scope.");
        await Refused(new(SessionKind.CloneRemote, Classrooms: ["aula1"], Master: "pc01", Source: "DISK:1", Partition: 1),
            "The source 'DISK:1' is not PART:N, IMG-CACHE:NAME or IMG-REPO:NAME.");
        await Refused(new(SessionKind.CloneRemote, Classrooms: ["aula1"], Source: "PART:1", Partition: 1),
            "Remote partition cloning needs a master computer (--master).");
        await Refused(new(SessionKind.CloneRemote, Classrooms: ["aula1"], Master: "pc01", Source: "PART:1", Partition: 1, Method: TransferMethod.Torrent),
            "Remote partition cloning sends by unicast or multicast, not torrent.");

        // A deploy resolves the classroom's defaults plus overrides, and the image's own partition when none is given.
        var plan = (await d.Planner.PlanAsync(new SessionRequest(SessionKind.DeployImage, Classrooms: ["aula1"], Image: "win11",
            Method: TransferMethod.Multicast, Port: 9004, MaxMbps: 500, P2PMode: P2PMode.Leecher))).Plan!;
        plan.Partition.Should().Be(1);
        plan.ParametersByClassroom["aula1"].Should().Be(new TransferParameters(
            new MulticastSettings(9004, "239.194.1.1", DuplexMode.Full, 500, 0, 120), new P2PSettings(P2PMode.Leecher, 60)));
        var clone = (await d.Planner.PlanAsync(new SessionRequest(SessionKind.CloneRemote, Classrooms: ["aula1"], Master: "pc02",
            Source: "IMG-REPO:win11", Partition: 2, Method: TransferMethod.Multicast))).Plan!;
        clone.Targets.Select(t => (t.Computer, t.Role)).Should().Equal(("pc01", JobRole.Receiver), ("pc02", JobRole.Master), ("pc03", JobRole.Receiver));
    }
}
