using Akka.Actor;

namespace OgActors.Messages.Repositories;

/// <summary>
/// A repository (cluster member) → a coordinator's <c>/user/upload-secrets</c>: send me the secret you sign upload
/// capabilities with. The coordinator answers only senders on cluster members, never ClusterClient clients.
/// </summary>
[Manifest("repo.upload-secret-request")]
public sealed record RequestUploadSecret(string Repository, IActorRef ReplyTo) : IOgMessage;

/// <summary>Coordinator → repository: its upload-capability secret (base64), by coordinator address.</summary>
[Manifest("repo.upload-secret")]
public sealed record UploadSecretGranted(string Coordinator, string Secret) : IOgMessage;
