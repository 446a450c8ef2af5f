using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Configuration;
using Akka.Event;
using OgActors.Hosting.Configuration;
using OgActors.Pki;

namespace OgActors.Hosting.Tls;

/// <summary>
/// Mutual TLS on Akka.Remote (<c>og.tls</c>): this node's certificate and key, the site CA, the role its own certificate
/// must have, and the roles of the peers it accepts. Read and checked once at start, so a missing, expired or foreign
/// certificate stops the node with one sentence instead of failing every handshake later.
/// </summary>
public sealed class TlsSettings
{
    private TlsSettings(bool enabled, X509Certificate2? certificate, PeerCertificateCheck? check)
    {
        Enabled = enabled;
        Certificate = certificate;
        Check = check;
    }

    /// <summary>How long after signing a job order may be obeyed (og.tls.job-orders.lifetime; coordinators sign with it).</summary>
    public TimeSpan JobOrderLifetime { get; private init; } = JobOrderSigner.DefaultLifetime;

    /// <summary>How far a computer's clock may be from its coordinators' (og.tls.job-orders.clock-skew; computers check with it).</summary>
    public TimeSpan JobOrderClockSkew { get; private init; } = JobOrderVerifier.DefaultClockSkew;

    public bool Enabled { get; }

    /// <summary>This node's certificate with its private key (null when TLS is off).</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>The site CA and the peer roles accepted (null when TLS is off).</summary>
    public PeerCertificateCheck? Check { get; }

    public static readonly TlsSettings Off = new(false, null, null);

    /// <summary>The Akka address scheme of this installation's nodes: akka.ssl.tcp with TLS, akka.tcp without.</summary>
    public static string Scheme(Config config) => config.GetBoolean("og.tls.enabled", false) ? "akka.ssl.tcp" : "akka.tcp";

    public static TlsSettings From(Config config)
    {
        if (!config.GetBoolean("og.tls.enabled", false)) return Off;
        string Path(string key, string what, string flag)
        {
            var value = config.GetString($"og.tls.{key}", "");
            if (string.IsNullOrWhiteSpace(value))
                throw new SettingsException($"TLS is on (og.tls.enabled) but og.tls.{key}, {what}, is not set ({flag}); " +
                                            "make the site CA and this node's certificate with 'ogctl pki' (README, \"Certificates\").");
            return System.IO.Path.GetFullPath(value);
        }
        var caPath = Path("ca", "the site CA certificate", "--tls-ca");
        var certificatePath = Path("certificate", "this node's certificate", "--tls-cert");
        var keyPath = Path("key", "this node's private key", "--tls-key");

        var ownRoleText = config.GetString("og.tls.role", "");
        if (!CertificateRoles.TryParse(ownRoleText, out var ownRole))
            throw new SettingsException($"og.tls.role must be server or computer, got '{ownRoleText}'.");
        var accepted = new HashSet<CertificateRole>();
        foreach (var text in config.GetStringList("og.tls.accept-roles") ?? [])
        {
            if (!CertificateRoles.TryParse(text, out var role))
                throw new SettingsException($"og.tls.accept-roles may list server and computer, not '{text}'.");
            accepted.Add(role);
        }
        if (accepted.Count == 0) throw new SettingsException("og.tls.accept-roles is empty: this node would accept no peer at all.");

        try
        {
            var ca = PemFiles.ReadCertificate(caPath, "site CA certificate (og.tls.ca)");
            var certificate = PemFiles.ReadCertificateWithKey(certificatePath, keyPath, "node (og.tls.certificate / og.tls.key)");
            var anyRole = new HashSet<CertificateRole> { CertificateRole.Server, CertificateRole.Computer };
            if (new PeerCertificateCheck(ca, anyRole).Refusal(certificate) is { } why)
                throw new SettingsException($"This node cannot use '{certificatePath}' as a {ownRole.Name()} (og.tls.role): {why}.");
            if (CertificateRoles.Of(certificate) is { } role && role != ownRole)
                throw new SettingsException($"This node cannot use '{certificatePath}': it is a {role.Name()} certificate, but this node is a " +
                                            $"{ownRole.Name()} (og.tls.role); issue it one with 'ogctl pki issue --role {ownRole.Name()}'.");
            return new TlsSettings(true, certificate, new PeerCertificateCheck(ca, accepted))
            {
                JobOrderLifetime = JobOrderTimes.Read(config, "og.tls.job-orders.lifetime", JobOrderSigner.DefaultLifetime),
                JobOrderClockSkew = JobOrderTimes.Read(config, "og.tls.job-orders.clock-skew", JobOrderVerifier.DefaultClockSkew),
            };
        }
        catch (PkiException e)
        {
            throw new SettingsException(e.Message);
        }
    }

    /// <summary>
    /// The handshake check Akka.Remote calls on both ends of every link: the site CA and the role, whatever the
    /// platform's own chain errors (our CA is not in the system store). A refusal is logged with the peer and the reason.
    /// </summary>
    public bool Validate(X509Certificate2? certificate, X509Chain? chain, string remotePeer, SslPolicyErrors errors, ILoggingAdapter log)
    {
        if (Check is null) return false;
        var why = Check.Refusal(certificate);
        if (why is null) return true;
        log.Warning("Refused the TLS peer {0}: {1}.", remotePeer, why);
        return false;
    }
}
