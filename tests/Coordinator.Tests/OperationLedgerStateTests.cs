using OgActors.Coordinator.Operations;
using OgActors.Messages.Audit;

namespace OgActors.Coordinator.Tests;

/// <summary>The operations ledger's decisions, without a cluster: who/what/target required, a long operation started then ended once.</summary>
public sealed class OperationLedgerStateTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 1, 0, 0, TimeSpan.Zero);

    private static RecordOperation Step(string id, OperationOutcome outcome, string sentence = "", string by = "alice",
        OperationKind kind = OperationKind.ImageImport, string target = "/srv/in/win.img") =>
        new(id, kind, target, "win.img as win", outcome, sentence, by, "repo1", ["win"]);

    private static OperationLedgerState Record(OperationLedgerState state, RecordOperation step)
    {
        var (evt, refusal) = state.Decide(step, At);
        refusal.Should().BeNull();
        return state.Apply(evt!);
    }

    [Fact]
    public void A_long_operation_is_under_way_until_it_ends_and_ends_only_once()
    {
        var state = Record(OperationLedgerState.Empty, Step("op1", OperationOutcome.Started));
        state.View(10).UnderWay.Should().ContainSingle().Which.OperationId.Should().Be("op1");
        state.Decide(Step("op1", OperationOutcome.Started), At).Refusal.Should().Be("Operation op1 was already started.");
        state.Decide(Step("op1", OperationOutcome.Done, kind: OperationKind.ClusterDown), At).Refusal
            .Should().Be("Operation op1 was started as an image import; it cannot end as a cluster down.");

        state = Record(state, Step("op1", OperationOutcome.Failed, "The repository did not answer within 120 minutes."));
        state.View(10).UnderWay.Should().BeEmpty();
        state.View(10).Latest.Select(o => o.Outcome).Should().Equal(OperationOutcome.Started, OperationOutcome.Failed);
        state.Recorded.Should().Be(2);
        state.Decide(Step("op1", OperationOutcome.Done), At).Refusal.Should().Be("Operation op1 has already ended.");
        state.Decide(Step("op1", OperationOutcome.Started), At).Refusal.Should().Be("Operation op1 was already started.");
    }

    [Fact]
    public void Every_step_says_who_what_and_why_and_long_text_is_cut_not_refused()
    {
        var empty = OperationLedgerState.Empty;
        empty.Decide(Step("op", OperationOutcome.Done, by: " "), At).Refusal.Should().Be("An operation needs who did it.");
        empty.Decide(Step("op", OperationOutcome.Done, target: ""), At).Refusal.Should().Be("An operation needs its target.");
        empty.Decide(Step("", OperationOutcome.Done), At).Refusal.Should().Be("An operation needs an id.");
        empty.Decide(Step("op", OperationOutcome.Refused), At).Refusal.Should().Be("A refused operation needs the sentence saying why.");
        empty.Decide(Step("op", OperationOutcome.Failed, " "), At).Refusal.Should().Be("A failed operation needs the sentence saying why.");

        // Decided at once (no Started): one step is the whole operation.
        var (evt, _) = empty.Decide(Step("op", OperationOutcome.Refused, new string('x', 10_000)) with { Images = ["win", "win", ""] }, At);
        evt!.Sentence.Length.Should().Be(OperationLedgerState.MaxText);
        evt.Sentence.Should().EndWith("…");
        evt.Images.Should().Equal("win");
        evt.At.Should().Be(At);
        empty.Apply(evt).View(10).UnderWay.Should().BeEmpty();
    }

    [Fact]
    public void The_latest_steps_are_bounded()
    {
        var state = OperationLedgerState.Empty;
        for (var i = 0; i < OperationLedgerState.LatestKept + 5; i++)
            state = Record(state, Step($"op{i}", OperationOutcome.Done, kind: OperationKind.ClusterLeave, target: "akka.tcp://ogactors@10.0.0.5:4053"));
        state.Latest.Should().HaveCount(OperationLedgerState.LatestKept);
        state.Latest[^1].OperationId.Should().Be($"op{OperationLedgerState.LatestKept + 4}");
        state.Recorded.Should().Be(OperationLedgerState.LatestKept + 5);
        state.View(3).Latest.Should().HaveCount(3);
    }
}
