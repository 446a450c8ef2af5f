using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OgActors.Pki;

/// <summary>What <see cref="SiteAuthority.Issue"/> wrote.</summary>
public sealed record IssuedCertificate(string Name, CertificateRole Role, string CertificatePath, string KeyPath, DateTimeOffset NotAfter);

/// <summary>
/// The site certificate authority, kept in one directory: <c>ca.crt</c> (give it to every node) and <c>ca.key</c>
/// (0600; keep it on the administrator's machine). It issues role certificates: <c>NAME.crt</c> and <c>NAME.key</c>.
/// Keys are ECDSA P-256; every certificate can serve both ends of a TLS link (nodes accept and open connections).
/// </summary>
public sealed class SiteAuthority
{
    public const string CertificateFile = "ca.crt";
    public const string KeyFile = "ca.key";

    private readonly X509Certificate2 _ca;

    private SiteAuthority(string dir, X509Certificate2 ca)
    {
        Dir = dir;
        _ca = ca;
    }

    public string Dir { get; }
    public X509Certificate2 Certificate => _ca;
    public string CertificatePath => Path.Combine(Dir, CertificateFile);

    /// <summary>Creates a new CA in <paramref name="dir"/> (which must not hold one yet).</summary>
    public static SiteAuthority Init(string dir, string name = "OgActors site CA", int days = 3650, DateTimeOffset? notBefore = null)
    {
        dir = Path.GetFullPath(dir);
        if (File.Exists(Path.Combine(dir, KeyFile)) || File.Exists(Path.Combine(dir, CertificateFile)))
            throw new PkiException($"'{dir}' already holds a site CA ({CertificateFile}); use it, or choose another directory.");
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new PkiException($"Cannot create '{dir}': {e.Message}"); }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(name)}, O=OgActors"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var from = notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5);
        using var ca = request.CreateSelfSigned(from, from.AddDays(days));
        PemFiles.WriteKey(Path.Combine(dir, KeyFile), key);
        PemFiles.WriteCertificate(Path.Combine(dir, CertificateFile), ca);
        return Open(dir);
    }

    /// <summary>Opens the CA in <paramref name="dir"/> with its key (to issue certificates).</summary>
    public static SiteAuthority Open(string dir)
    {
        dir = Path.GetFullPath(dir);
        var ca = PemFiles.ReadCertificateWithKey(Path.Combine(dir, CertificateFile), Path.Combine(dir, KeyFile), "site CA");
        return new SiteAuthority(dir, ca);
    }

    /// <summary>
    /// Issues a certificate for <paramref name="name"/> with <paramref name="role"/>, valid for <paramref name="days"/>, into
    /// <paramref name="outDir"/> (default: the CA's directory) as NAME.crt and NAME.key (0600). DNS names and IPs go into the
    /// subject alternative names (for people and for HTTPS; Akka.Remote checks the CA and the role, not the name).
    /// </summary>
    public IssuedCertificate Issue(string name, CertificateRole role, IEnumerable<string>? dnsNames = null, IEnumerable<string>? ips = null,
        int days = 730, string? outDir = null, DateTimeOffset? notBefore = null)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny([.. Path.GetInvalidFileNameChars(), ',', '=', '+', '"', '\\', '<', '>', ';']) >= 0)
            throw new PkiException($"'{name}' cannot name a certificate; use letters, digits, '-', '_' and '.'.");
        if (days <= 0) throw new PkiException($"A certificate must be valid for at least one day, not {days}.");
        outDir = Path.GetFullPath(outDir ?? Dir);
        try { Directory.CreateDirectory(outDir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new PkiException($"Cannot create '{outDir}': {e.Message}"); }
        var certificatePath = Path.Combine(outDir, name + ".crt");
        var keyPath = Path.Combine(outDir, name + ".key");
        if (File.Exists(certificatePath) || File.Exists(keyPath))
            throw new PkiException($"'{certificatePath}' already exists; remove it (and its .key) first or choose another name.");

        var san = new SubjectAlternativeNameBuilder();
        var anyName = false;
        foreach (var dns in dnsNames ?? []) { san.AddDnsName(dns); anyName = true; }
        foreach (var ip in ips ?? [])
        {
            if (!IPAddress.TryParse(ip, out var address)) throw new PkiException($"'{ip}' is not an IP address.");
            san.AddIpAddress(address);
            anyName = true;
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={name}, OU={role.Name()}, O=OgActors"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(CertificateRoles.TlsServerOid), new Oid(CertificateRoles.TlsClientOid), new Oid(role.Oid())], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        if (anyName) request.CertificateExtensions.Add(san.Build());

        var from = notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5);
        var until = from.AddDays(days);
        if (until > _ca.NotAfter) until = _ca.NotAfter;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(_ca, from, until, serial);
        PemFiles.WriteKey(keyPath, key);
        PemFiles.WriteCertificate(certificatePath, issued);
        return new IssuedCertificate(name, role, certificatePath, keyPath, until);
    }

    private static string Escape(string value) => value.Contains(',') || value.Contains('=') ? "\"" + value.Replace("\"", "") + "\"" : value;
}
