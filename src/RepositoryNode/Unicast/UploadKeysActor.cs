using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using OgActors.Hosting.Configuration;
using OgActors.Hosting.Uploads;
using OgActors.Messages.Repositories;

namespace OgActors.RepositoryNode.Unicast;

/// <summary>
/// Asks every coordinator that is up in the cluster for its upload secret (<see cref="RequestUploadSecret"/> to its
/// <c>/user/upload-secrets</c>), again every <see cref="RetryInterval"/> until it answered, and keeps the answers in
/// <see cref="UploadKeys"/> for the unicast service.
/// </summary>
public sealed class UploadKeysActor : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);
    private sealed record Retry : INoSerializationVerificationNeeded;

    private readonly string _repository;
    private readonly UploadKeys _keys;
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public UploadKeysActor(string repository, UploadKeys keys)
    {
        _repository = repository;
        _keys = keys;
        Receive<ClusterEvent.MemberUp>(_ => AskMissing());
        Receive<ClusterEvent.CurrentClusterState>(_ => AskMissing());
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<Retry>(_ => AskMissing());
        Receive<UploadSecretGranted>(granted =>
        {
            byte[] secret;
            try { secret = Convert.FromBase64String(granted.Secret); }
            catch (FormatException) { _log.Warning("Coordinator {0} sent an upload secret that is not base64", granted.Coordinator); return; }
            if (secret.Length < UploadCapability.MinSecretBytes) return;
            if (!_keys.Has(granted.Coordinator)) _log.Info("Upload secret received from coordinator {0}", granted.Coordinator);
            _keys.Grant(granted.Coordinator, secret);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string repository, UploadKeys keys) => Akka.Actor.Props.Create(() => new UploadKeysActor(repository, keys));

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent));
        Timers.StartPeriodicTimer("retry", new Retry(), RetryInterval);
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void AskMissing()
    {
        foreach (var member in _cluster.State.Members.Where(m => m.Status == MemberStatus.Up && m.HasRole(NodeRoles.Coordinator)))
        {
            if (_keys.Has(member.Address.ToString())) continue;
            Context.ActorSelection(new RootActorPath(member.Address) / "user" / "upload-secrets").Tell(new RequestUploadSecret(_repository, Self));
        }
    }
}
