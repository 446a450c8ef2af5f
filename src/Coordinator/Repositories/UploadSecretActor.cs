using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using OgActors.Hosting.Configuration;
using OgActors.Messages.Repositories;

namespace OgActors.Coordinator.Repositories;

/// <summary>
/// <c>/user/upload-secrets</c> on every coordinator: gives its upload-capability secret to repositories that ask
/// (<see cref="RequestUploadSecret"/>). It answers only when the reply address is a cluster member with role
/// <c>repository</c> (trusted servers); a computer — not a member, only a ClusterClient — or any other remote system
/// gets nothing, and the refusal is logged. It is not registered with the ClusterClient receptionist.
/// </summary>
public sealed class UploadSecretActor : ReceiveActor
{
    public const string Name = "upload-secrets";

    public UploadSecretActor(byte[] secret)
    {
        var cluster = Cluster.Get(Context.System);
        var log = Context.GetLogger();
        var encoded = Convert.ToBase64String(secret);
        Receive<RequestUploadSecret>(request =>
        {
            var address = request.ReplyTo.Path.Address.HasLocalScope ? cluster.SelfAddress : request.ReplyTo.Path.Address;
            var member = cluster.State.Members.FirstOrDefault(m => m.Address.Equals(address));
            if (member is null || member.Status is not (MemberStatus.Up or MemberStatus.WeaklyUp) || !member.HasRole(NodeRoles.Repository))
            {
                log.Warning("Upload secret refused to {0} at {1}: not a repository member of this cluster", request.Repository, address);
                return;
            }
            request.ReplyTo.Tell(new UploadSecretGranted(cluster.SelfAddress.ToString(), encoded));
        });
    }

    public static Props Props(byte[] secret) => Akka.Actor.Props.Create(() => new UploadSecretActor(secret));
}
