using System.Security.Cryptography.X509Certificates;

namespace OgActors.Pki;

/// <summary>
/// Decides whether a peer's certificate may open a link: it must chain to the site CA (and to nothing else), be valid
/// now, and carry one of the accepted roles. <see cref="Refusal"/> says why not in one sentence, for the log.
/// </summary>
public sealed class PeerCertificateCheck(X509Certificate2 siteCa, IReadOnlySet<CertificateRole> accepted)
{
    public X509Certificate2 SiteCa { get; } = siteCa;
    public IReadOnlySet<CertificateRole> Accepted { get; } = accepted;

    /// <summary>Null when <paramref name="certificate"/> may connect; otherwise the reason it may not.</summary>
    public string? Refusal(X509Certificate2? certificate, DateTime? now = null)
    {
        if (certificate is null) return "it presented no certificate";
        var subject = certificate.Subject;
        var at = now ?? DateTime.UtcNow;
        if (at < certificate.NotBefore.ToUniversalTime())
            return $"its certificate '{subject}' is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC";
        if (at > certificate.NotAfter.ToUniversalTime())
            return $"its certificate '{subject}' expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC";

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(SiteCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.ToLocalTime();
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (!chain.Build(certificate))
        {
            var status = chain.ChainStatus.Select(s => s.StatusInformation.Trim().TrimEnd('.')).Where(s => s.Length > 0).Distinct();
            return $"its certificate '{subject}' (issued by '{certificate.Issuer}') does not chain to this site's CA '{SiteCa.Subject}' ({string.Join("; ", status)})";
        }
        var root = chain.ChainElements[^1].Certificate;
        if (!root.RawDataMemory.Span.SequenceEqual(SiteCa.RawDataMemory.Span))
            return $"its certificate '{subject}' was issued by '{certificate.Issuer}', not by this site's CA '{SiteCa.Subject}'";

        var role = CertificateRoles.Of(certificate);
        if (role is null) return $"its certificate '{subject}' names no OgActors role (server or computer)";
        if (!Accepted.Contains(role.Value))
            return $"its certificate '{subject}' is a {role.Value.Name()} certificate, and this node accepts only {string.Join(" and ", Accepted.Select(r => r.Name()))} certificates";
        return null;
    }
}
