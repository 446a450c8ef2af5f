using Akka.Actor;

namespace OgActors.Coordinator.Sessions;

/// <summary>
/// Whom the job dispatcher believes when a runner announces itself (<see cref="OgActors.Messages.Sessions.AgentAvailable"/>
/// with job kinds, published by any ClusterClient): only a runner on the node the computer registry holds that computer's
/// agent at. An announcement from anywhere else would send that computer's next job to a student's process, or into an
/// actor that does not exist. Where there is no registry to ask (the tests' and the session benchmark's coordinators, whose
/// agents live in the coordinator's own process), this process and the cluster's members are believed as well.
/// </summary>
public static class AgentAnnouncementCheck
{
    public enum Verdict { Accept, AwaitRegistration, Refuse }

    /// <param name="announcedFrom">The address of the announced runner.</param>
    /// <param name="registered">The address of the computer's agent as the registry last reported it online (null: not online).</param>
    /// <param name="exempt">Nodes believed without the registry (this process, the cluster's members); null: none — a coordinator
    /// with the registry at hand, where a path naming its own address or a member's is what a student forges.</param>
    public static Verdict Judge(Address announcedFrom, Address? registered, Func<Address, bool>? exempt)
    {
        if (exempt?.Invoke(announcedFrom) == true) return Verdict.Accept;
        if (registered is null) return Verdict.AwaitRegistration; // the registry's presence may come just after the runner's first word
        return registered.Equals(announcedFrom) ? Verdict.Accept : Verdict.Refuse;
    }

    public static string Refusal(string computer, Address announcedFrom, Address registered) =>
        $"Ignored an agent announcement for {computer} from {announcedFrom}: {computer} is registered from {registered}.";
}
