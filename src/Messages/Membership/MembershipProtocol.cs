namespace OgActors.Messages.Membership;

/// <summary>
/// A coordinator asks a new cluster member to prove it holds a server certificate of the site: sign
/// <paramref name="Nonce"/> together with its own unique address <paramref name="Member"/> ("akka.ssl.tcp://...#uid").
/// The transport lets computer certificates in (a computer's ClusterClient reaches the coordinators), so only this
/// proof tells a server that may be a member from a lab PC that joined the cluster.
/// </summary>
[Manifest("membership.prove")]
public sealed record ProveMembership(string Nonce, string Member) : IOgMessage;

/// <summary>
/// The member's answer: its certificate (DER, base64) and its ECDSA signature (base64) over "NONCE\nMEMBER". Members
/// sign only for their own address, so a real server cannot be made to vouch for another node.
/// </summary>
[Manifest("membership.proof")]
public sealed record MembershipProof(string Nonce, string Member, string Certificate, string Signature) : IOgMessage;
