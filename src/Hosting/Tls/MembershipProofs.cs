using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using OgActors.Messages.Membership;
using OgActors.Pki;

namespace OgActors.Hosting.Tls;

/// <summary>Signing and checking <see cref="MembershipProof"/>s (ECDSA P-256 over SHA-256 of "NONCE\nMEMBER").</summary>
public static class MembershipProofs
{
    private static byte[] Payload(string nonce, string member) => Encoding.UTF8.GetBytes(nonce + "\n" + member);

    /// <summary>The proof a member with <paramref name="certificate"/> (and its private key) gives for its own address.</summary>
    public static MembershipProof Sign(X509Certificate2 certificate, ProveMembership request)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The node's certificate has no ECDSA private key.");
        return new MembershipProof(request.Nonce, request.Member, Convert.ToBase64String(certificate.RawData),
            Convert.ToBase64String(key.SignData(Payload(request.Nonce, request.Member), HashAlgorithmName.SHA256)));
    }

    /// <summary>Null when <paramref name="proof"/> answers <paramref name="request"/> with a server certificate of the site; else why not.</summary>
    public static string? Refusal(MembershipProof proof, ProveMembership request, X509Certificate2 siteCa)
    {
        if (proof.Nonce != request.Nonce || proof.Member != request.Member) return "its proof answers another question";
        X509Certificate2 certificate;
        byte[] signature;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(proof.Certificate));
            signature = Convert.FromBase64String(proof.Signature);
        }
        catch (Exception e) when (e is FormatException or CryptographicException) { return "its proof holds no readable certificate"; }
        using (certificate)
        {
            if (new PeerCertificateCheck(siteCa, new HashSet<CertificateRole> { CertificateRole.Server }).Refusal(certificate) is { } why) return why;
            using var key = certificate.GetECDsaPublicKey();
            if (key is null || !key.VerifyData(Payload(request.Nonce, request.Member), signature, HashAlgorithmName.SHA256))
                return $"its proof is not signed with the key of '{certificate.Subject}'";
        }
        return null;
    }
}
