using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using OgActors.Coordinator.Computers;
using OgActors.Coordinator.Repositories;
using OgActors.Coordinator.Sessions;
using OgActors.Coordinator.Tests.Support;
using OgActors.Ctl;
using OgActors.Ctl.Api;
using OgActors.Ctl.Commands;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;
using OgActors.Messages.Computers;
using OgActors.Messages.Images;
using OgActors.Messages.Repositories;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Tests;

/// <summary>
/// Refuse up front what cannot work: commands naming a partition a computer does not have, a repository that does not
/// exist or is not running, an image of another filesystem than the target partition, an image defined on an unknown
/// repository — one sentence, 4xx from the API, non-zero exit from ogctl, and nothing persisted. Checked against a real
/// coordinator whose computer and repository registries hear real registrations and announcements.
/// </summary>
public sealed class UpFrontRefusalTests
{
    private static SessionRequest Restore(int partition, params string[] computers) =>
        new(SessionKind.Restore, Computers: computers, Image: "win11", Partition: partition, Method: TransferMethod.Unicast);

    /// <summary>Classroom lab (pc01–pc03, repo1), repo1 running (its probe is returned), image win11 (NTFS) in repo1.</summary>
    private static async Task<(DomainHost Host, Akka.TestKit.TestProbe Repo1)> StartLabAsync(JournalStore store, bool serializeMessages = true)
    {
        var host = await DomainHost.StartAsync(store, serializeMessages: serializeMessages);
        await Scenario.DefineClassroomAsync(host.Domain, "lab", "10.1.2.0/24", "pc01", "pc02", "pc03");
        var repo1 = await Scenario.AnnounceRepositoryAsync(host);
        await Scenario.DefineLinkedImageAsync(host.Domain, "win11");
        return (host, repo1);
    }

    private static async Task<DomainHost> LabAsync(JournalStore store) => (await StartLabAsync(store)).Host;

    private static async Task RefusedAsync(DomainHost host, SessionRequest request, string sentence)
    {
        (await host.Domain.Planner.StartAsync(request, "alice")).Should().Be(new Refused(sentence));
        (await host.Domain.ListSessionsAsync()).Should().BeEmpty("a refused command persists nothing");
    }

    [Fact]
    public async Task A_partition_the_computer_does_not_report_is_refused_also_while_it_is_offline_but_a_computer_never_seen_is_not()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await LabAsync(store);
        var pc01 = await Scenario.ReportInventoryAsync(host, "pc01", Scenario.Partition(1, "ntfs"), Scenario.Partition(2, "ext4"));
        await Scenario.ReportInventoryAsync(host, "pc03");

        await RefusedAsync(host, Restore(3, "pc01"), "pc01 has no partition 3: it reports partitions 1 and 2.");
        await RefusedAsync(host, new SessionRequest(SessionKind.DeployImage, Computers: ["pc01"], Image: "win11", Partition: 4),
            "pc01 has no partition 4: it reports partitions 1 and 2.");
        await RefusedAsync(host, new SessionRequest(SessionKind.CreateImage, Computers: ["pc01"], Image: "win11", Partition: 5, Repository: "repo1"),
            "pc01 has no partition 5: it reports partitions 1 and 2.");
        await RefusedAsync(host, Restore(1, "pc03", "pc01"), "pc03 has no partition 1: it reports no partitions at all.");
        await RefusedAsync(host, Restore(2, "pc01", "pc03"),
            "Image win11 holds filesystem NTFS but partition 2 of pc01 holds ext4 (Linux): format the partition first or choose an image " +
            "of its filesystem; 1 more computer of the scope cannot take it either (pc03).");

        // Offline now: its last reported inventory still says what it has.
        host.Registry.Get<ComputerRegistry>().Tell(new UnregisterComputer("pc01", pc01.Ref), pc01.Ref);
        pc01.ExpectMsg<ComputerUnregistered>(TimeSpan.FromSeconds(10));
        await RefusedAsync(host, Restore(3, "pc01"), "pc01 has no partition 3: it reports partitions 1 and 2.");

        // pc02 never reported an inventory: its job is accepted and waits for it, as a deploy to a computer that is off does.
        var id = (await host.Domain.Planner.StartAsync(Restore(3, "pc02"), "alice")).Should().BeOfType<Accepted>().Subject.Id!;
        var view = await host.Domain.SessionAsync(id);
        view!.Jobs.Single().Computer.Should().Be("pc02");
        // and the partition that pc01 does have is accepted, with its reported size kept for the job
        var ok = await host.Domain.Planner.PlanAsync(Restore(1, "pc01"));
        ok.Refusal.Should().BeNull();
        ok.Plan!.Targets.Single().PartitionSizeBytes.Should().Be(20L << 30);
    }

    [Fact]
    public async Task An_image_of_another_filesystem_than_the_partition_is_refused_and_a_blank_partition_takes_any()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await LabAsync(store);
        await Scenario.ReportInventoryAsync(host, "pc01", Scenario.Partition(1, "ext4"), Scenario.Partition(2, ""), Scenario.Partition(3, "ntfs"));
        (await host.Domain.DefineImageAsync(new DefineImage("ubuntu", "Ubuntu", "24.04", 1, "EXT4", "repo1", "lab", "bob"))).Should().BeOfType<Accepted>();

        await RefusedAsync(host, Restore(1, "pc01"),
            "Image win11 holds filesystem NTFS but partition 1 of pc01 holds ext4 (Linux): format the partition first or choose an image of its filesystem.");
        await RefusedAsync(host, new SessionRequest(SessionKind.CreateImage, Computers: ["pc01"], Image: "ubuntu", Partition: 3, Repository: "repo1"),
            "Partition 3 of pc01 holds filesystem ntfs but image ubuntu is defined with partition type EXT4: capture it into an image defined for that filesystem.");

        (await host.Domain.Planner.PlanAsync(Restore(2, "pc01"))).Refusal.Should().BeNull("a partition with no filesystem takes any image");
        (await host.Domain.Planner.PlanAsync(Restore(3, "pc01"))).Refusal.Should().BeNull("NTFS onto NTFS");
        (await host.Domain.Planner.PlanAsync(new SessionRequest(SessionKind.CreateImage, Computers: ["pc01"], Image: "ubuntu", Partition: 1,
            Repository: "repo1"))).Refusal.Should().BeNull("ext4 into an EXT4 image");
    }

    [Fact]
    public async Task Remote_cloning_checks_the_masters_source_partition_and_each_receivers_target()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await LabAsync(store);
        await Scenario.ReportInventoryAsync(host, "pc01", Scenario.Partition(1, "ntfs"), Scenario.Partition(2, "ext4"));
        await Scenario.ReportInventoryAsync(host, "pc02", Scenario.Partition(1, "ntfs"), Scenario.Partition(2, "ntfs"));
        SessionRequest Clone(string source, int partition) => new(SessionKind.CloneRemote, Computers: ["pc01", "pc02", "pc03"], Master: "pc01",
            Source: source, Partition: partition, Method: TransferMethod.Unicast);

        await RefusedAsync(host, Clone("PART:3", 2), "The master pc01 has no partition 3: it reports partitions 1 and 2.");
        await RefusedAsync(host, Clone("PART:2", 2),
            "Partition 2 of pc01 holds filesystem ext4 (Linux) but partition 2 of pc02 holds ntfs: format the partition first or clone a partition of its filesystem.");
        await RefusedAsync(host, Clone("PART:1", 5), "pc02 has no partition 5: it reports partitions 1 and 2.");
        (await host.Domain.Planner.PlanAsync(Clone("PART:1", 2))).Refusal.Should().BeNull("NTFS onto NTFS; pc03 never reported, so its agent checks");
        (await host.Domain.Planner.PlanAsync(Clone("IMG-REPO:win11", 1))).Refusal.Should().BeNull();
    }

    [Fact]
    public async Task A_repository_that_does_not_exist_is_not_running_or_does_not_hold_the_image_is_refused()
    {
        using var store = JournalStore.Sqlite();
        var (host, repo1) = await StartLabAsync(store);
        await using var _ = host;
        var d = host.Domain;
        await Scenario.DefineClassroomAsync(d, "other", "10.1.3.0/24");
        (await d.AddComputerAsync(new AddComputer("other", "pc09", "10.1.3.11", "52:54:00:00:09:09", "repo2", 0, "alice"))).Should().BeOfType<Accepted>();
        (await d.AddComputerAsync(new AddComputer("other", "pc10", "10.1.3.12", "52:54:00:00:09:10", "", 0, "alice"))).Should().BeOfType<Accepted>();

        await RefusedAsync(host, new SessionRequest(SessionKind.CreateImage, Computers: ["pc01"], Image: "win11", Partition: 1, Repository: "nowhere"),
            "There is no repository named nowhere; known: repo1.");
        await RefusedAsync(host, Restore(1, "pc09"), "There is no repository named repo2; known: repo1.");
        await RefusedAsync(host, Restore(1, "pc10"),
            "pc10 has no repository in its classroom record: assign one (classroom add-computer --repo) or name one with --repo.");

        await Scenario.AnnounceRepositoryAsync(host, "repo2");
        await RefusedAsync(host, Restore(1, "pc09", "pc01"),
            "Image win11 is not in repository repo2, which pc09 would restore from; name a repository that holds it with --repo.");
        (await d.Planner.PlanAsync(Restore(1, "pc09") with { Repository = "repo1" })).Refusal.Should().BeNull("repo1 holds it");
        await RefusedAsync(host, new SessionRequest(SessionKind.CreateImage, Computers: ["pc01"], Image: "win11", Partition: 1, Repository: "cache-pc02"),
            "There is no repository named cache-pc02; known: repo1, repo2.");
        await Scenario.AnnounceRepositoryAsync(host, "cache-pc02", computerCache: true);
        await RefusedAsync(host, new SessionRequest(SessionKind.CreateImage, Computers: ["pc01"], Image: "win11", Partition: 1, Repository: "cache-pc02"),
            "Repository cache-pc02 is a computer's cache, which takes no uploads; create the image in a repository.");

        // repo1 stops (its actor is gone): nothing can be fetched from it or uploaded to it until it announces itself again.
        host.System.Stop(repo1.Ref);
        for (var i = 0; i < 100 && (await d.RepositoriesAsync())!.Single(r => r.Name == "repo1").Online; i++) await Task.Delay(100);
        var restore = await d.Planner.StartAsync(Restore(1, "pc01", "pc02"), "alice");
        restore.Should().BeOfType<Refused>().Which.Reason.Should()
            .MatchRegex(@"^Repository repo1 is not running \(its last announcement was at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\), so pc01 and pc02 cannot fetch image win11 from it\.$");
        (await d.Planner.StartAsync(new SessionRequest(SessionKind.CreateImage, Computers: ["pc01"], Image: "win11", Partition: 1, Repository: "repo1"), "alice"))
            .Should().BeOfType<Refused>().Which.Reason.Should().EndWith("so pc01 cannot upload image win11 to it.");
        (await d.ListSessionsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task An_image_defined_on_an_unknown_repository_or_a_computers_cache_is_refused_and_not_persisted()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store);
        var d = host.Domain;
        var image = new DefineImage("win11", "Windows 11", "W11", 1, "NTFS", "repo1", "lab", "bob");

        (await d.DefineImageAsync(image)).Should().Be(new Refused("There is no repository named repo1; no repository has announced itself to the coordinator."));
        await Scenario.AnnounceRepositoryAsync(host, "repo2");
        await Scenario.AnnounceRepositoryAsync(host, "cache-pc07", computerCache: true);
        (await d.DefineImageAsync(image)).Should().Be(new Refused("There is no repository named repo1; known: repo2."));
        (await d.DefineImageAsync(image with { Repository = "cache-pc07" }))
            .Should().Be(new Refused("Repository cache-pc07 is a computer's cache; an image is defined on a repository."));
        (await d.ListImagesAsync()).Should().BeEmpty();

        // A known repository that is not running now may still be named: defining an image writes nothing to it.
        var repo1 = await Scenario.AnnounceRepositoryAsync(host, "repo1");
        host.System.Stop(repo1.Ref);
        for (var i = 0; i < 100 && (await d.RepositoriesAsync())!.Single(r => r.Name == "repo1").Online; i++) await Task.Delay(100);
        (await d.DefineImageAsync(image)).Should().BeOfType<Accepted>();
        (await d.ListImagesAsync()).Select(i => i.Canonical).Should().Equal("win11");
    }

    [Fact]
    public async Task The_api_answers_4xx_and_ogctl_exits_non_zero_with_the_sentence()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, serializeMessages: false);
        await Scenario.DefineClassroomAsync(host.Domain, "lab", "10.1.2.0/24", "pc01");
        await Scenario.AnnounceRepositoryAsync(host);
        await Scenario.DefineLinkedImageAsync(host.Domain, "win11");
        await Scenario.ReportInventoryAsync(host, "pc01", Scenario.Partition(1, "ntfs"), Scenario.Partition(2, "ext4"));
        using var alice = host.Api("alice");

        var define = await alice.PostAsJsonAsync("api/images", new
        {
            canonical = "ubuntu", displayName = "Ubuntu", softwareProfile = "24.04", partition = 2, partitionType = "EXT4", repository = "repo9", comments = "c",
        });
        define.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await define.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be("There is no repository named repo9; known: repo1.");
        var restore = await alice.PostAsJsonAsync("api/sessions", new { kind = "Restore", computers = new[] { "pc01" }, image = "win11", partition = 7, method = "Unicast" });
        restore.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await restore.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be("pc01 has no partition 7: it reports partitions 1 and 2.");

        var (exit, _, err) = await Ogctl(host, "restore", "--scope", "pc01", "--partition", "2", "--image", "win11", "--method", "unicast");
        exit.Should().Be(1);
        err.Trim().Should().Be("ogctl: Image win11 holds filesystem NTFS but partition 2 of pc01 holds ext4 (Linux): format the partition first " +
            "or choose an image of its filesystem.");
        (exit, _, err) = await Ogctl(host, "image", "define", "--canonical", "ubuntu", "--name", "Ubuntu", "--profile", "24.04", "--partition", "2",
            "--type", "EXT4", "--repo", "repo9", "--comments", "lab");
        exit.Should().Be(1);
        err.Trim().Should().Be("ogctl: There is no repository named repo9; known: repo1.");
        (exit, _, err) = await Ogctl(host, "create-image", "--computer", "pc01", "--partition", "3", "--image", "win11", "--repo", "repo1");
        exit.Should().Be(1);
        err.Trim().Should().Be("ogctl: pc01 has no partition 3: it reports partitions 1 and 2.");

        (await host.Domain.ListSessionsAsync()).Should().BeEmpty();
        (await host.Domain.ListImagesAsync()).Select(i => i.Canonical).Should().Equal("win11");
    }

    [Theory]
    [InlineData("NTFS", "NTFS")]
    [InlineData("ntfs", "NTFS")]
    [InlineData("EXTFS", "Linux")]
    [InlineData("ext4", "Linux")]
    [InlineData("EXT3FS", "Linux")]
    [InlineData("btrfs", "Linux")]
    [InlineData("LINUX", "Linux")]
    [InlineData("FAT32", "FAT")]
    [InlineData("vfat", "FAT")]
    [InlineData("EFI", "FAT")]
    [InlineData("exfat", "exFAT")]
    [InlineData("swap", "swap")]
    [InlineData("HFSPLUS", "HFS")]
    [InlineData("", null)]
    [InlineData("RAW", null)]
    [InlineData("DATA", null)]
    [InlineData("zfs_member", null)]
    public void Filesystems_compare_by_family(string filesystem, string? family) => PartitionCheck.Family(filesystem).Should().Be(family);

    private static async Task<(int Exit, string Out, string Err)> Ogctl(DomainHost host, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var env = new CtlEnvironment(v => v switch { "OG_API" => host.ApiUrl, "OG_TOKEN" => "alice-token", _ => null },
            Path.GetTempPath(), stdout, stderr, Interactive: false);
        Func<CtlContext, Command>[] palettes = [ClassroomCommands.Create, ImageCommands.Create, SessionCommands.Create, .. DeployCommands.Palettes];
        var exit = await CtlApp.RunAsync(args, env, palettes);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
