using Akka.Actor;

namespace OgActors.Coordinator.Sessions;

/// <summary>
/// Whom the job dispatcher believes when a runner announces itself (<see cref="OgActors.Messages.Sessions.AgentAvailable"/>
/// with job kinds, published by any ClusterClient): only a runner on the node the computer registry holds that computer's
/// agent at, or one inside the cluster's own trusted nodes. An announcement from anywhere else would send that computer's
/// next job to a student's process.
/// </summary>
public static class AgentAnnouncementCheck
{
    public enum Verdict { Accept, AwaitRegistration, Refuse }

    /// <param name="announcedFrom">The address of the announced runner.</param>
    /// <param name="registered">The address of the computer's agent as the registry last reported it online (null: not online).</param>
    /// <param name="trustedNode">Whether an address is this process or a cluster member (coordinators, repositories).</param>
    public static Verdict Judge(Address announcedFrom, Address? registered, Func<Address, bool> trustedNode)
    {
        if (announcedFrom.HasLocalScope || trustedNode(announcedFrom)) return Verdict.Accept;
        if (registered is null) return Verdict.AwaitRegistration; // the registry's presence may come just after the runner's first word
        return registered.Equals(announcedFrom) ? Verdict.Accept : Verdict.Refuse;
    }

    public static string Refusal(string computer, Address announcedFrom, Address registered) =>
        $"Ignored an agent announcement for {computer} from {announcedFrom}: {computer} is registered from {registered}.";
}
