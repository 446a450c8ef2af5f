using Akka.Cluster.Tools.PublishSubscribe;
using OgActors.Coordinator.Classrooms;
using OgActors.Coordinator.Images;
using OgActors.Coordinator.Sessions;
using OgActors.Coordinator.Tests.Support;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;
using OgActors.Messages.Images;
using OgActors.Messages.Repositories;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Tests;

/// <summary>Issue 10 item 3 (revisions mean content, partitions record what was restored) and item 2 (a file in error).</summary>
public sealed class RevisionTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-12-01T10:00:00Z");

    private static ImageState Link(ImageState state, string repo, string fullSum) =>
        state.Apply(new ImageFileLinked("big", repo, "", Scenario.Info, "tail", fullSum, "hash", 4096, At, state.RevisionOf(fullSum),
            $"repository:{repo}", At));

    private static ImageState Defined() =>
        ImageState.Empty.Apply(new ImageDefined("big", "Big", "p", 1, "EXT4", "repo1", "c", "alice", At));

    [Fact]
    public void The_same_full_sum_twice_is_the_same_revision()
    {
        var state = Link(Link(Defined(), "repo1", "aaaa"), "repo1", "aaaa");
        state.Revision.Should().Be(1);
        state.View!.Copies.Should().ContainSingle().Which.Revision.Should().Be(1);
    }

    [Fact]
    public void A_then_B_then_A_again_is_revisions_1_2_1_the_file_held_now_decides()
    {
        var revisions = new List<int>();
        var state = Defined();
        foreach (var sum in new[] { "aaaa", "bbbb", "aaaa" })
        {
            state = Link(state, "repo1", sum);
            revisions.Add(state.Revision);
        }
        revisions.Should().Equal(1, 2, 1);
        state = Link(state, "repo1", "cccc");
        state.Revision.Should().Be(3, "a content never seen gets the next number");
        state.View!.Revisions.Should().BeEquivalentTo(new Dictionary<string, int> { ["aaaa"] = 1, ["bbbb"] = 2, ["cccc"] = 3 });
    }

    [Fact]
    public void A_file_that_no_longer_verifies_is_in_error_and_not_a_revision()
    {
        var state = Link(Defined(), "repo1", "aaaa");
        state = state.Apply(new ImageFileFailed("big", "repo1", "", "Block 12 of the partclone image has a bad CRC at offset 81920.", "repository:repo1", At));
        var copy = state.View!.Copies.Should().ContainSingle().Subject;
        copy.State.Should().Be("error");
        copy.Error.Should().Contain("bad CRC");
        state.Revision.Should().Be(0, "no ready file is held");
    }

    private static SessionPlan Plan(int revision) => new(SessionKind.DeployImage, "big", revision, 1, "", TransferMethod.Unicast, "",
        null, [], new Dictionary<string, TransferParameters>(), ImageRevisions: new Dictionary<string, int> { ["aaaa"] = 1, ["bbbb"] = 2 });

    private static ComputerJobFinished Finished(JobOutcome outcome, RestoredContent? restored, string path = "cache") =>
        new("s1", "pc01", outcome, path, "why", 10, TimeSpan.FromSeconds(1), outcome == JobOutcome.Failed ? "partclone.ext4 failed." : "",
            "computer:pc01", At, restored);

    [Fact]
    public void A_successful_job_records_the_revision_of_the_sum_actually_restored_not_the_one_asked()
    {
        SessionState.PartitionRecord(Plan(2), Finished(JobOutcome.Succeeded, new RestoredContent("AAAA", 0, true)))
            .Should().Be((1, ""));
        SessionState.PartitionRecord(Plan(2), Finished(JobOutcome.Succeeded, new RestoredContent("ffff", 0, true)))
            .Should().Be((0, ""), "a content the image never had is an unknown revision");
    }

    [Fact]
    public void A_failed_restore_after_writing_records_the_partition_damaged_and_one_before_writing_records_nothing()
    {
        var damaged = SessionState.PartitionRecord(Plan(2), Finished(JobOutcome.Failed, new RestoredContent("", 0, true)));
        damaged.Should().NotBeNull();
        damaged!.Value.Revision.Should().Be(0);
        damaged.Value.Damage.Should().Contain("failed").And.Contain("partclone.ext4 failed");
        SessionState.PartitionRecord(Plan(2), Finished(JobOutcome.Failed, new RestoredContent("", 0, false))).Should().BeNull();
    }

    [Fact]
    public void A_damaged_partition_is_recorded_on_the_classroom_with_no_revision()
    {
        var room = ClassroomState.Apply(null, new ClassroomDefined("lab", "10.0.0.0/24", null!, null!, "alice", At));
        room = ClassroomState.Apply(room, new ComputerAdded("lab", "pc01", "10.0.0.1", "aa:bb:cc:dd:ee:01", "repo1", 0, "alice", At));
        room = ClassroomState.Apply(room, new PartitionImageRecorded("lab", "pc01", 1, "big", 1, "s1", "session:s1", At));
        room = ClassroomState.Apply(room, new PartitionImageRecorded("lab", "pc01", 1, "big", 0, "s2", "session:s2", At, "the restore failed"));
        var partition = room!.Computers.Single().Partitions.Single();
        partition.Damage.Should().Be("the restore failed");
        partition.Revision.Should().Be(0);
    }

    [Fact]
    public async Task The_image_actor_follows_the_file_held_now_and_shows_a_rejected_file_in_error()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store);
        var d = host.Domain;
        var mediator = DistributedPubSub.Get(host.System).Mediator;
        void Announce(IRepositoryFileEvent e) => mediator.Tell(new Publish(Topics.RepositoryFiles, e), Akka.Actor.ActorRefs.NoSender);
        ImageFileAvailable File(string sum) => new("repo1", "big", "", Scenario.Info, "tail", sum, "hash", 4096, DateTimeOffset.UtcNow);

        (await d.AskAsync(new DefineImage("big", "Big", "p", 1, "EXT4", "repo1", "lab", "alice"))).Should().BeOfType<Accepted>();
        await Task.Delay(500);
        Announce(File("aaaa"));
        await Eventually(d, v => v.Revision == 1);
        Announce(File("bbbb"));
        await Eventually(d, v => v.Revision == 2);
        Announce(File("aaaa"));
        (await Eventually(d, v => v.Revision == 1)).Copies.Single().FullSum.Should().Be("aaaa");

        Announce(new ImageFileRejected("repo1", "big", "", "The lzop stream ends early at offset 4000.", DateTimeOffset.UtcNow));
        var failed = await Eventually(d, v => v.Copies.Single().State == "error");
        failed.Copies.Single().Error.Should().Contain("ends early");
        failed.Revision.Should().Be(0);
    }

    private static async Task<ImageView> Eventually(Domain.CoordinatorDomain d, Func<ImageView, bool> condition)
    {
        ImageView? view = null;
        for (var i = 0; i < 100; i++)
        {
            view = await d.ImageAsync("big");
            if (view is not null && condition(view)) return view;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"The image never reached the expected state; last seen: {view}");
    }
}
