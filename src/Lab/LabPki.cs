using OgActors.Pki;
using static OgActors.Hosting.Configuration.OgConfiguration;

namespace OgActors.Lab;

/// <summary>
/// The lab's throwaway site CA: DIR/pki/ca.{crt,key}, made afresh at every start, and one certificate per node
/// (the coordinator and the repository as servers, each computer as a computer), so the lab runs with mutual TLS on
/// like a real installation, with no step for the user.
/// </summary>
public sealed class LabPki
{
    private readonly SiteAuthority _ca;

    private LabPki(SiteAuthority ca) => _ca = ca;

    public string Dir => _ca.Dir;
    public string CaPath => _ca.CertificatePath;

    /// <summary>The CA under <paramref name="labDir"/>/pki, replacing the one a previous run left.</summary>
    public static LabPki Create(string labDir)
    {
        var dir = Path.Combine(labDir, "pki");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        return new LabPki(SiteAuthority.Init(dir, "OgActors lab CA (throwaway)", days: 30));
    }

    /// <summary>Issues <paramref name="name"/>'s certificate (again, if a restarted node asks twice).</summary>
    public IssuedCertificate Issue(string name, CertificateRole role)
    {
        var crt = Path.Combine(Dir, name + ".crt");
        if (File.Exists(crt))
            return new IssuedCertificate(name, role, crt, Path.Combine(Dir, name + ".key"), File.GetLastWriteTimeUtc(crt).AddDays(30));
        return _ca.Issue(name, role, days: 30);
    }

    /// <summary>The og.tls settings of a node with this certificate.</summary>
    public string Hocon(string name, CertificateRole role)
    {
        var issued = Issue(name, role);
        return $"og.tls {{ enabled = on, ca = {Quote(CaPath)}, certificate = {Quote(issued.CertificatePath)}, key = {Quote(issued.KeyPath)} }}";
    }

    /// <summary>The same as command-line options of a node binary.</summary>
    public IReadOnlyList<string> Arguments(string name, CertificateRole role)
    {
        var issued = Issue(name, role);
        return ["--tls-ca", CaPath, "--tls-cert", issued.CertificatePath, "--tls-key", issued.KeyPath];
    }
}
