using Akka.Actor;

namespace OgActors.Coordinator.Sessions;

/// <summary>
/// Who may report on a computer's job to its session (pure): the computer's registered agent's node (its job runner answers
/// from there), or the coordinators' side — this ActorSystem or a cluster member (the job dispatcher's verdicts). A report
/// for pc02 from pc01's node, or from a foreign ActorSystem, is not one.
/// </summary>
public static class JobReportSenders
{
    public enum Verdict { Trusted, AskRegistry, Refused }

    /// <param name="agent">The computer's registered agent's address, when known (null: not known yet).</param>
    public static Verdict Judge(IActorRef sender, Func<Address, bool> isClusterMember, Address? agent)
    {
        var from = sender.Path.Address;
        if (sender.Path.Name == "deadLetters" || sender.IsNobody()) return Verdict.Refused; // anonymous remote messages arrive "from" deadLetters
        if (from.HasLocalScope || isClusterMember(from)) return Verdict.Trusted;
        if (agent is null) return Verdict.AskRegistry;
        return agent.Equals(from) ? Verdict.Trusted : Verdict.Refused;
    }
}
