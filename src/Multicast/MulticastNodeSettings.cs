using Akka.Configuration;

namespace OgActors.Multicast;

/// <summary>
/// How this node sends multicast (<c>og.repository.multicast</c>). <paramref name="Interface"/> "" = the interface the group
/// is routed through (<c>MulticastRoute</c>). <paramref name="RetriesUntilDrop"/>: udpcast's REQACK retries before a
/// silent receiver is dropped (udpcast's default 200 takes minutes; ours drops within seconds). <paramref name="SenderMaxWait"/>:
/// once the session actor has decided to start, how long udp-sender waits for ready receivers to connect.
/// <paramref name="ReceiverStartTimeout"/>: what receivers are told to wait for the sender at most, beyond the max wait.
/// <paramref name="SettleTimeout"/>: how long a finished transfer waits for its members' last reports before it stops.
/// <paramref name="Stragglers"/>: when a receiving member that holds the class back is dropped.
/// </summary>
public sealed record MulticastNodeSettings(
    string Repository, string ImagesDirectory, string Interface, int RetriesUntilDrop, TimeSpan SenderMaxWait,
    TimeSpan ReceiverStartTimeout, TimeSpan SettleTimeout, StragglerRule? Stragglers = null)
{
    /// <summary>Test and lab hook: run udp-sender under this command (e.g. <c>ip netns exec NS</c>).</summary>
    public IReadOnlyList<string>? Wrapper { get; init; }

    public static MulticastNodeSettings From(Config config, string repository, string imagesDirectory) => new(
        repository, imagesDirectory,
        config.GetString("og.repository.multicast.interface", ""),
        config.GetInt("og.repository.multicast.retries-until-drop", 10),
        config.GetTimeSpan("og.repository.multicast.sender-max-wait", TimeSpan.FromSeconds(5)),
        config.GetTimeSpan("og.repository.multicast.receiver-start-timeout", TimeSpan.FromSeconds(60)),
        config.GetTimeSpan("og.repository.multicast.settle-timeout", TimeSpan.FromMinutes(10)),
        new StragglerRule(
            config.GetByteSize("og.repository.multicast.stragglers.lag-bytes") ?? StragglerRule.Default.LagBytes,
            config.GetDouble("og.repository.multicast.stragglers.lag-seconds", StragglerRule.Default.LagSeconds),
            config.GetTimeSpan("og.repository.multicast.stragglers.grace", StragglerRule.Default.Grace),
            config.GetTimeSpan("og.repository.multicast.stragglers.stall-timeout", StragglerRule.Default.StallTimeout)));
}
