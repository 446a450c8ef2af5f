using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OgActors.Pki;

/// <summary>
/// What a certificate of the site CA lets its holder be. Servers (coordinators, repositories) are run by the
/// administrators; computers are the lab PCs, whose image a student can read.
/// </summary>
public enum CertificateRole
{
    Server,
    Computer,
}

/// <summary>
/// How a role is written into a certificate: an extended key usage of our own (an OID under 2.25, the UUID arc anyone
/// may use, so no registration is needed), next to the usual TLS server and client usages, and the subject's OU.
/// The EKU is what the checks read; the OU is for people reading the certificate.
/// </summary>
public static class CertificateRoles
{
    /// <summary>2.25.&lt;UUID f82d802f-b094-4f3a-bffb-52d30942afa9&gt;: the OgActors arc.</summary>
    public const string Arc = "2.25.329884796240094766208222897366360043433";
    public const string ServerOid = Arc + ".1";
    public const string ComputerOid = Arc + ".2";
    public const string TlsServerOid = "1.3.6.1.5.5.7.3.1";
    public const string TlsClientOid = "1.3.6.1.5.5.7.3.2";

    public static string Oid(this CertificateRole role) => role switch
    {
        CertificateRole.Server => ServerOid,
        CertificateRole.Computer => ComputerOid,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    /// <summary>"server" / "computer", as written in configuration and on the command line.</summary>
    public static string Name(this CertificateRole role) => role.ToString().ToLowerInvariant();

    public static bool TryParse(string text, out CertificateRole role)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "server": role = CertificateRole.Server; return true;
            case "computer": role = CertificateRole.Computer; return true;
            default: role = default; return false;
        }
    }

    /// <summary>The role a certificate carries, or null when it carries none (or, suspiciously, both).</summary>
    public static CertificateRole? Of(X509Certificate2 certificate)
    {
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(e => e.EnhancedKeyUsages.Cast<Oid>())
            .Select(o => o.Value).ToHashSet();
        var server = usages.Contains(ServerOid);
        var computer = usages.Contains(ComputerOid);
        return (server, computer) switch
        {
            (true, false) => CertificateRole.Server,
            (false, true) => CertificateRole.Computer,
            _ => null,
        };
    }
}
