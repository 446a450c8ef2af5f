using OgActors.Messages.Multicast;
using OgActors.Multicast;
using E = OgActors.Multicast.MulticastSessionState;

namespace OgActors.Repository.Tests.Multicast;

/// <summary>The multicast transfer's decisions: wait for N or the max wait, late joiners, declines, drops, the end.</summary>
public sealed class MulticastSessionStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private static E State(int waitFor, int computers, int maxWaitSeconds = 120) =>
        new("s1", "aula1", "239.194.17.36", 9000, waitFor, computers, TimeSpan.FromSeconds(maxWaitSeconds), T0);

    private static IReadOnlyList<E.Event> Run(E state, IReadOnlyList<E.Event> events)
    {
        foreach (var e in events) state.Apply(e);
        return events;
    }

    private static void JoinReady(E state, string pc, int second)
    {
        Run(state, state.Join(pc, "", T0.AddSeconds(second)));
        Run(state, state.Ready(pc, T0.AddSeconds(second)));
    }

    [Fact]
    public void Waiting_for_three_of_five_starts_at_the_third_ready_receiver_with_those_three()
    {
        var state = State(waitFor: 3, computers: 5);
        JoinReady(state, "pc01", 1);
        JoinReady(state, "pc02", 2);
        state.Phase.Should().Be(MulticastPhase.Waiting);
        Run(state, state.Join("pc03", "", T0.AddSeconds(3))).Should().ContainSingle().Which.Should().BeOfType<E.MemberAdmitted>();
        var started = Run(state, state.Ready("pc03", T0.AddSeconds(3))).OfType<E.SendingStarted>().Single();
        started.Members.Should().Equal("pc01", "pc02", "pc03");
        started.Reason.Should().Contain("3 of 3");
        state.Phase.Should().Be(MulticastPhase.Sending);
        state.StartedAt.Should().Be(T0.AddSeconds(3));

        // pc04 joins after the start: it is late and catches up by unicast.
        var late = Run(state, state.Join("pc04", "", T0.AddSeconds(4))).Should().ContainSingle().Which.Should().BeOfType<E.MemberLate>().Subject;
        late.Reason.Should().Contain("after the multicast had started").And.Contain("unicast");
        state.StateOf("pc04").Should().Be(MemberState.Late);
    }

    [Fact]
    public void Waiting_for_all_with_one_computer_missing_starts_when_the_max_wait_passes()
    {
        var state = State(waitFor: 0, computers: 5, maxWaitSeconds: 60);
        foreach (var (pc, i) in new[] { "pc01", "pc02", "pc03", "pc04" }.Select((p, i) => (p, i))) JoinReady(state, pc, i);
        state.Tick(T0.AddSeconds(59)).Should().BeEmpty("the fifth computer may still come");
        state.Target.Should().Be(5);
        var started = Run(state, state.Tick(T0.AddSeconds(60))).OfType<E.SendingStarted>().Single();
        started.Members.Should().HaveCount(4);
        started.Reason.Should().Contain("maximum wait of 60 s").And.Contain("4 of 5");
    }

    [Fact]
    public void A_computer_that_declines_is_not_waited_for()
    {
        var state = State(waitFor: 0, computers: 3);
        JoinReady(state, "pc01", 1);
        JoinReady(state, "pc02", 2);
        state.Phase.Should().Be(MulticastPhase.Waiting);
        var events = Run(state, state.Join("pc03", "The target partition is too small.", T0.AddSeconds(3)));
        events.OfType<E.MemberDeclined>().Should().ContainSingle();
        events.OfType<E.SendingStarted>().Single().Members.Should().Equal("pc01", "pc02");
        state.StateOf("pc03").Should().Be(MemberState.Declined);
    }

    [Fact]
    public void Every_computer_declining_ends_the_transfer_with_nothing_sent()
    {
        var state = State(waitFor: 0, computers: 2);
        Run(state, state.Join("pc01", "cached", T0));
        Run(state, state.Join("pc02", "cached", T0)).OfType<E.Abandoned>().Should().ContainSingle();
        state.Phase.Should().Be(MulticastPhase.Done);
        state.Settled.Should().BeTrue();
    }

    [Fact]
    public void Max_wait_with_nobody_joined_abandons_and_a_joined_but_not_ready_computer_becomes_late_at_the_start()
    {
        var nobody = State(waitFor: 2, computers: 2, maxWaitSeconds: 10);
        Run(nobody, nobody.Tick(T0.AddSeconds(10))).Should().ContainSingle().Which.Should().BeOfType<E.Abandoned>();

        var state = State(waitFor: 2, computers: 2, maxWaitSeconds: 10);
        JoinReady(state, "pc01", 1);
        Run(state, state.Join("pc02", "", T0.AddSeconds(2)));
        Run(state, state.Tick(T0.AddSeconds(10))).OfType<E.SendingStarted>().Single().Members.Should().Equal("pc01");
        state.StateOf("pc02").Should().Be(MemberState.Late, "its receiver was not ready when the sender started");
        Run(state, state.Ready("pc02", T0.AddSeconds(11))).Should().BeEmpty("it is already told to catch up");
    }

    [Fact]
    public void Members_finish_or_are_dropped_and_the_transfer_settles_after_the_sender_exits()
    {
        var state = State(waitFor: 2, computers: 2);
        JoinReady(state, "pc01", 1);
        JoinReady(state, "pc02", 2);
        Run(state, state.Done("pc02", false, "udp-receiver broke off", T0.AddSeconds(20))).Should().ContainSingle().Which.Should().BeOfType<E.MemberDropped>();
        Run(state, state.SenderExited(true, "finished", T0.AddSeconds(30))).Should().ContainSingle();
        state.Phase.Should().Be(MulticastPhase.Done);
        state.Settled.Should().BeFalse("pc01 has not said it received the stream");
        Run(state, state.Done("pc01", true, "", T0.AddSeconds(31)));
        state.Settled.Should().BeTrue();
        var status = state.Status("repo1", 1e6, 42);
        status.Dropped.Should().Equal("pc02");
        status.Joined.Should().Be(2);
        status.WaitingFor.Should().Be(2);
        status.Group.Should().Be("239.194.17.36");
        status.Port.Should().Be(9000);
    }

    [Fact]
    public void A_member_that_leaves_before_the_start_is_not_waited_for_and_repeated_joins_decide_nothing()
    {
        var state = State(waitFor: 0, computers: 2);
        JoinReady(state, "pc01", 1);
        Run(state, state.Join("pc01", "", T0.AddSeconds(2))).Should().BeEmpty();
        Run(state, state.Join("pc02", "", T0.AddSeconds(2)));
        var events = Run(state, state.Done("pc02", false, "cancelled", T0.AddSeconds(3)));
        events.OfType<E.MemberLeft>().Should().ContainSingle();
        events.OfType<E.SendingStarted>().Single().Members.Should().Equal("pc01");
    }

    // ---- the drop rule: a straggler does not hold the class back -------------------------------------------------

    private const long MiB = 1024 * 1024, Total = 200 * MiB;

    private static E Sending(params string[] pcs)
    {
        var state = State(waitFor: pcs.Length, computers: pcs.Length);
        foreach (var pc in pcs) JoinReady(state, pc, 0);
        state.Phase.Should().Be(MulticastPhase.Sending);
        return state;
    }

    private static void Report(E state, string pc, double second, long bytes) =>
        Run(state, state.Progress(pc, bytes, Total, 0, T0.AddSeconds(second)));

    [Fact]
    public void A_receiver_that_stays_far_behind_the_others_is_dropped_after_the_grace_and_the_others_are_not()
    {
        var state = Sending("pc01", "pc02", "pc03");
        // The class moves at 3 MiB/s (pc03's pace), and pc03 is 7 MiB behind: udp-receiver's buffer full of what it has not read.
        for (var t = 1; t <= 4; t++)
        {
            Report(state, "pc01", t, t * 3 * MiB + 7 * MiB);
            Report(state, "pc02", t, t * 3 * MiB + 7 * MiB);
            Report(state, "pc03", t, t * 3 * MiB);
            var dropped = Run(state, state.Tick(T0.AddSeconds(t + 0.5))).OfType<E.StragglerDropped>().ToList();
            if (t < 4) { dropped.Should().BeEmpty($"pc03 has been behind since second 1, less than the 3 s grace (now {t}.5)"); continue; }
            dropped.Should().ContainSingle().Which.Computer.Should().Be("pc03");
            dropped[0].Reason.Should().Contain("behind the fastest receiver").And.Contain("unicast");
        }
        state.StateOf("pc03").Should().Be(MemberState.Dropped);
        state.In(MemberState.Receiving).Should().Equal("pc01", "pc02");
        state.Done("pc03", false, "stopped", T0.AddSeconds(6)).Should().BeEmpty("its own report after the drop changes nothing");
        state.Status("repo", 0, 0).Dropped.Should().Equal("pc03");
    }

    [Fact]
    public void Receivers_a_little_apart_at_full_speed_are_not_dropped()
    {
        var state = Sending("pc01", "pc02");
        // 25 MiB/s; pc02 reports half a second later than pc01 and is 3 MiB behind (its copy buffer): well within 1 s of the pace.
        for (var t = 1; t <= 8; t++)
        {
            Report(state, "pc01", t, t * 25 * MiB);
            Report(state, "pc02", t + 0.5, (long)((t + 0.5) * 25 * MiB) - 3 * MiB);
            state.Tick(T0.AddSeconds(t + 0.7)).Should().BeEmpty();
        }
    }

    [Fact]
    public void A_receiver_whose_progress_stops_while_the_others_go_on_is_dropped_at_the_stall_timeout()
    {
        var state = Sending("pc01", "pc02");
        Report(state, "pc01", 1, 2 * MiB);
        Report(state, "pc02", 1, 2 * MiB);
        // pc02 is frozen (its computer sends nothing any more); udp-sender drops it and pc01 goes on.
        for (var t = 2; t <= 10; t++) { Report(state, "pc01", t, t * 2 * MiB); state.Tick(T0.AddSeconds(t)).OfType<E.StragglerDropped>().Should().BeEmpty(); }
        Report(state, "pc01", 11, 22 * MiB);
        var dropped = Run(state, state.Tick(T0.AddSeconds(11))).Should().ContainSingle().Which.Should().BeOfType<E.StragglerDropped>().Subject;
        dropped.Computer.Should().Be("pc02");
        dropped.Reason.Should().Contain("stopped at 2097152 bytes for 10 s");
    }

    [Fact]
    public void A_member_that_stopped_reporting_is_not_projected_ahead_so_the_other_one_is_not_behind_it()
    {
        var state = Sending("pc01", "pc02");
        for (var t = 1; t <= 5; t++) { Report(state, "pc01", t, t * 10 * MiB); Report(state, "pc02", t + 0.5, (long)((t + 0.5) * 10 * MiB)); }
        // The class stalls (a frozen third receiver not yet dropped by udp-sender): pc01 stops reporting at 50 MiB; pc02 trickles on.
        for (var t = 6; t <= 12; t++)
        {
            Report(state, "pc02", t + 0.5, 55 * MiB + t * 100_000);
            state.Tick(T0.AddSeconds(t + 0.6)).Should().BeEmpty($"nobody is a straggler in a stalled class (second {t})");
        }
    }

    [Fact]
    public void A_pause_of_the_whole_class_drops_nobody_and_a_lone_receiver_is_never_dropped()
    {
        var state = Sending("pc01", "pc02");
        Report(state, "pc01", 1, 5 * MiB);
        Report(state, "pc02", 1, 5 * MiB);
        state.Tick(T0.AddSeconds(30)).Should().BeEmpty("nobody advanced: the sender or the network paused, not one receiver");

        var alone = Sending("pc01");
        Report(alone, "pc01", 1, MiB);
        alone.Tick(T0.AddSeconds(60)).Should().BeEmpty("with one receiver there is no class to hold back");
    }

    [Fact]
    public void A_receiver_that_has_read_the_whole_stream_is_not_a_straggler()
    {
        var state = Sending("pc01", "pc02");
        Report(state, "pc01", 1, Total);             // done reading; now restoring from its cache, no more stream progress
        for (var t = 2; t <= 20; t++) { Report(state, "pc02", t, Math.Min(Total, t * 10 * MiB)); state.Tick(T0.AddSeconds(t)).Should().BeEmpty(); }
    }

    [Fact]
    public void Progress_of_a_member_not_receiving_decides_nothing()
    {
        var state = State(waitFor: 2, computers: 2);
        JoinReady(state, "pc01", 0);
        state.Progress("pc01", MiB, Total, 0, T0.AddSeconds(1)).Should().BeEmpty("the transfer has not started");
    }
}
