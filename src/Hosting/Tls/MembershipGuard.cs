using System.Security.Cryptography;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using OgActors.Messages.Membership;

namespace OgActors.Hosting.Tls;

/// <summary>
/// Every member answers <see cref="ProveMembership"/> for its own address with its server certificate (<c>/user/membership-proof</c>).
/// </summary>
public sealed class MembershipProofResponder : ReceiveActor
{
    public const string Name = "membership-proof";

    public MembershipProofResponder(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var self = MembershipGuard.Describe(Akka.Cluster.Cluster.Get(Context.System).SelfUniqueAddress);
        Receive<ProveMembership>(request =>
        {
            if (request.Member == self) Sender.Tell(MembershipProofs.Sign(certificate, request));
        });
    }

    public static Props Props(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        Akka.Actor.Props.Create(() => new MembershipProofResponder(certificate));
}

/// <summary>
/// On coordinators with TLS: every other member must prove, within <c>og.tls.membership-proof-timeout</c>, that it holds
/// a server certificate of the site (<see cref="ProveMembership"/>). One that answers with a computer certificate, a
/// foreign one or nothing is downed, with a log line saying why. This closes what the transport cannot: a lab PC's
/// computer certificate opens links to coordinators (its agent needs them), so it could send a cluster Join.
/// </summary>
public sealed class MembershipGuard : ReceiveActor, IWithTimers
{
    private sealed record Ask(UniqueAddress Member);
    private sealed record GiveUp(UniqueAddress Member);

    private readonly Dictionary<UniqueAddress, ProveMembership> _pending = [];
    private readonly HashSet<UniqueAddress> _proven = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ITimerScheduler Timers { get; set; } = null!;

    public MembershipGuard(System.Security.Cryptography.X509Certificates.X509Certificate2 siteCa, TimeSpan timeout)
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        Receive<ClusterEvent.CurrentClusterState>(state => { foreach (var m in state.Members) Check(cluster, m, timeout); });
        Receive<ClusterEvent.MemberJoined>(e => Check(cluster, e.Member, timeout));
        Receive<ClusterEvent.MemberWeaklyUp>(e => Check(cluster, e.Member, timeout));
        Receive<ClusterEvent.MemberUp>(e => Check(cluster, e.Member, timeout));
        Receive<ClusterEvent.MemberRemoved>(e => { _pending.Remove(e.Member.UniqueAddress); _proven.Remove(e.Member.UniqueAddress); });
        Receive<Ask>(a =>
        {
            if (_pending.TryGetValue(a.Member, out var request))
                Context.ActorSelection(new RootActorPath(a.Member.Address) / "user" / MembershipProofResponder.Name).Tell(request);
        });
        Receive<GiveUp>(g =>
        {
            if (_pending.Remove(g.Member))
                Down(cluster, g.Member, $"it did not prove within {timeout.TotalSeconds:0} s that it holds a server certificate of this site");
        });
        Receive<MembershipProof>(proof =>
        {
            var member = _pending.Keys.FirstOrDefault(m => _pending[m].Nonce == proof.Nonce);
            if (member is null) return;
            var request = _pending[member];
            _pending.Remove(member);
            Timers.Cancel(("ask", member));
            Timers.Cancel(("give-up", member));
            if (MembershipProofs.Refusal(proof, request, siteCa) is { } why) Down(cluster, member, why);
            else
            {
                _proven.Add(member);
                _log.Info("Member {0} proved it holds a server certificate of this site.", member.Address);
            }
        });
    }

    public static string Describe(UniqueAddress member) => $"{member.Address}#{member.Uid}";

    private void Check(Akka.Cluster.Cluster cluster, Member member, TimeSpan timeout)
    {
        var address = member.UniqueAddress;
        if (address.Equals(cluster.SelfUniqueAddress) || _proven.Contains(address) || _pending.ContainsKey(address)) return;
        if (member.Status is MemberStatus.Down or MemberStatus.Removed or MemberStatus.Exiting or MemberStatus.Leaving) return;
        _pending[address] = new ProveMembership(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), Describe(address));
        Self.Tell(new Ask(address));
        Timers.StartPeriodicTimer(("ask", address), new Ask(address), TimeSpan.FromSeconds(1));
        Timers.StartSingleTimer(("give-up", address), new GiveUp(address), timeout);
    }

    private void Down(Akka.Cluster.Cluster cluster, UniqueAddress member, string why)
    {
        Timers.Cancel(("ask", member));
        _log.Warning("Downing member {0} (roles from its own claim): {1}.", member.Address, why);
        cluster.Down(member.Address);
    }

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.MemberJoined), typeof(ClusterEvent.MemberWeaklyUp), typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    public static Props Props(System.Security.Cryptography.X509Certificates.X509Certificate2 siteCa, TimeSpan timeout) =>
        Akka.Actor.Props.Create(() => new MembershipGuard(siteCa, timeout));
}
