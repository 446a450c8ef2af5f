using OgActors.Coordinator.Sessions;
using OgActors.Coordinator.Tests.Support;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;
using OgActors.Messages.Images;
using OgActors.Messages.Repositories;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Tests;

/// <summary>
/// Which repositories a job falls over to (issue 16, a repository lost mid-deploy): the copies a plan keeps, the alternates of
/// each job (same full sum only), and the planner putting them in the plan from the registry's announcements.
/// </summary>
public sealed class RepositoryAlternatesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static ImageFileCopy File(string repository, string fullSum, string state = "ready", string folder = "") =>
        new(repository, folder, Scenario.Info, "sum", fullSum, "infohash", 1 << 20, T0, 1, state);

    private static RepositoryStatus Status(string name, bool online = true, bool cache = false) =>
        new(name, $"http://{name}:5481/", 1L << 30, 2L << 30, cache, !cache, online, T0, []);

    [Fact]
    public void A_plan_keeps_every_ready_copy_on_a_repository_online_ones_first_with_the_address_it_announced()
    {
        var copies = RepositoryAlternates.Copies(
            [File("repo3", "AAA"), File("repo1", "aaa"), File("repo2", "aaa", folder: "ou1"), File("repo4", "aaa", "error"), File("pc07-cache", "aaa"),
             File("repo5", ""), File("ghost", "aaa")],
            [Status("repo1"), Status("repo2", online: false), Status("repo3"), Status("repo4"), Status("pc07-cache", cache: true), Status("repo5")]);

        copies.Should().Equal(
            new RepositoryCopy("repo1", "http://repo1:5481/", "", "aaa"),
            new RepositoryCopy("repo3", "http://repo3:5481/", "", "aaa"),
            new RepositoryCopy("repo2", "http://repo2:5481/", "ou1", "aaa")); // offline now: last, it may be back when needed
        // A copy in error, a computer's cache, a copy whose sum is not known and a repository that never announced itself are left out.

        RepositoryAlternates.Copies([File("repo2", "aaa"), File("repo1", "aaa")], null)
            .Should().Equal(new RepositoryCopy("repo1", "", "", "aaa"), new RepositoryCopy("repo2", "", "", "aaa"));
    }

    [Fact]
    public void The_alternates_of_a_job_are_the_other_copies_of_the_same_content_in_the_plans_order()
    {
        IReadOnlyList<RepositoryCopy> copies =
        [
            new("repo1", "http://repo1/", "", "aaa"), new("repo2", "http://repo2/", "", "bbb"), new("repo3", "http://repo3/", "", "aaa"),
        ];
        RepositoryAlternates.For("repo1", copies).Select(c => c.Repository).Should().Equal("repo3");
        RepositoryAlternates.For("repo2", copies).Should().BeEmpty("no other repository holds repo2's content");
        RepositoryAlternates.For("repo9", copies).Should().BeEmpty("the job's repository has no copy in the plan: its content is unknown");
        RepositoryAlternates.For("repo1", null).Should().BeEmpty();
    }

    [Fact]
    public void A_restore_job_carries_its_alternates_and_a_create_image_job_none()
    {
        var targets = new[] { "pc01", "pc02" }.Select((c, i) => new SessionTarget(c, "lab", "10.0.0.1", "00:11:22:33:44:55", i == 0 ? "repo1" : "repo2", 0, JobRole.Single)).ToList();
        var parameters = new Dictionary<string, TransferParameters>
        {
            ["lab"] = new(new MulticastSettings(9000, "239.194.0.0", DuplexMode.Full, 100, 0, 60), new P2PSettings(P2PMode.Peer, 60)),
        };
        IReadOnlyList<RepositoryCopy> copies = [new("repo1", "http://repo1/", "", "aaa"), new("repo2", "http://repo2/", "ou1", "aaa"), new("repo3", "http://repo3/", "", "bbb")];
        var plan = new SessionPlan(SessionKind.Restore, "win11", 1, 1, "", TransferMethod.Unicast, "", null, targets, parameters, Copies: copies);
        var state = SessionState.Create(new SessionCreated("s1", plan, "alice", T0));

        state.SpecFor(targets[0]).Alternates.Should().Equal(copies[1]);
        state.SpecFor(targets[1]).Alternates.Should().Equal(copies[0]);
        var capture = SessionState.Create(new SessionCreated("s2", plan with { Kind = SessionKind.CreateImage, Repository = "repo1" }, "alice", T0));
        capture.SpecFor(targets[0]).Alternates.Should().BeNull();
    }

    [Fact]
    public async Task The_planner_puts_the_copies_of_the_image_with_the_announced_addresses_into_the_plan()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store);
        await Scenario.DefineClassroomAsync(host.Domain, "lab", "10.1.2.0/24", "pc01");
        await Scenario.AnnounceRepositoryAsync(host, "repo1");
        await Scenario.AnnounceRepositoryAsync(host, "repo2");
        await Scenario.AnnounceRepositoryAsync(host, "repo3");
        await Scenario.DefineLinkedImageAsync(host.Domain, "win11", fullSum: "aaa");
        foreach (var (repo, sum) in new[] { ("repo2", "aaa"), ("repo3", "bbb") })
            (await host.Domain.AskAsync(new LinkImageFile("win11", repo, "", Scenario.Info, "sum", sum, "infohash", 1 << 20, DateTimeOffset.UtcNow)))
                .Should().BeOfType<Accepted>();

        var planned = await host.Domain.Planner.PlanAsync(new SessionRequest(SessionKind.Restore, Computers: ["pc01"], Image: "win11", Partition: 1,
            Method: TransferMethod.Unicast, Repository: "repo1"));
        planned.Refusal.Should().BeNull();
        planned.Plan!.Copies.Should().BeEquivalentTo(new[]
        {
            new RepositoryCopy("repo1", "http://127.0.0.1:9/repo1", "", "aaa"), new RepositoryCopy("repo2", "http://127.0.0.1:9/repo2", "", "aaa"),
            new RepositoryCopy("repo3", "http://127.0.0.1:9/repo3", "", "bbb"),
        }, o => o.WithStrictOrdering());
        var job = SessionState.Create(new SessionCreated("s1", planned.Plan, "alice", T0)).SpecFor(planned.Plan.Targets[0]);
        job.Repository.Should().Be("repo1");
        job.Alternates.Should().Equal(new RepositoryCopy("repo2", "http://127.0.0.1:9/repo2", "", "aaa"));
    }
}
