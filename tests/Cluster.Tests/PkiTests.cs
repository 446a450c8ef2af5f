using Akka.Configuration;
using OgActors.Cluster.Tests.Support;
using OgActors.Hosting.Configuration;
using OgActors.Hosting.Tls;
using OgActors.Pki;

namespace OgActors.Cluster.Tests;

/// <summary>The site CA (<c>ogctl pki</c>), the peer check every TLS handshake runs, and a node's check of its own files.</summary>
public sealed class PkiTests : IDisposable
{
    private readonly string _dir = TestPaths.TempDir("pki");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Ogctl_pki_makes_a_ca_and_role_certificates_with_owner_only_keys()
    {
        var ca = Path.Combine(_dir, "ca");
        var init = await Ogctl.RunAsync(new Dictionary<string, string>(), "pki", "init", "--dir", ca);
        init.ExitCode.Should().Be(0, init.Error);
        var server = await Ogctl.RunAsync(new Dictionary<string, string>(), "pki", "issue", "--dir", ca, "--role", "server", "--name", "og-coordinator",
            "--dns", "og-coordinator.lab", "--ip", "10.0.0.1");
        server.ExitCode.Should().Be(0, server.Error);
        var computer = await Ogctl.RunAsync(new Dictionary<string, string>(), "pki", "issue", "--dir", ca, "--role", "computer", "--name", "pc01");
        computer.ExitCode.Should().Be(0, computer.Error);

        foreach (var key in new[] { "ca.key", "og-coordinator.key", "pc01.key" })
            File.GetUnixFileMode(Path.Combine(ca, key)).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, key);
        var authority = PemFiles.ReadCertificate(Path.Combine(ca, "ca.crt"), "CA");
        var serverCert = PemFiles.ReadCertificateWithKey(Path.Combine(ca, "og-coordinator.crt"), Path.Combine(ca, "og-coordinator.key"), "server");
        var pcCert = PemFiles.ReadCertificateWithKey(Path.Combine(ca, "pc01.crt"), Path.Combine(ca, "pc01.key"), "pc01");
        CertificateRoles.Of(serverCert).Should().Be(CertificateRole.Server);
        CertificateRoles.Of(pcCert).Should().Be(CertificateRole.Computer);
        new PeerCertificateCheck(authority, new HashSet<CertificateRole> { CertificateRole.Server, CertificateRole.Computer })
            .Refusal(serverCert).Should().BeNull();

        (await Ogctl.RunAsync(new Dictionary<string, string>(), "pki", "issue", "--dir", ca, "--role", "teacher", "--name", "x"))
            .Error.Should().Contain("--role must be server or computer, not 'teacher'.");
        var again = await Ogctl.RunAsync(new Dictionary<string, string>(), "pki", "issue", "--dir", ca, "--role", "computer", "--name", "pc01");
        again.ExitCode.Should().Be(1);
        again.Error.Should().Contain("already exists");
        (await Ogctl.RunAsync(new Dictionary<string, string>(), "pki", "init", "--dir", ca)).Error.Should().Contain("already holds a site CA");
    }

    [Fact]
    public void The_peer_check_refuses_no_certificate_a_foreign_ca_an_expired_one_and_a_role_not_accepted_saying_why()
    {
        var site = SiteAuthority.Init(Path.Combine(_dir, "site"), notBefore: DateTimeOffset.UtcNow.AddDays(-10));
        var foreign = SiteAuthority.Init(Path.Combine(_dir, "foreign"), "Student CA");
        var server = Load(site.Issue("coord", CertificateRole.Server));
        var computer = Load(site.Issue("pc01", CertificateRole.Computer));
        var intruder = Load(foreign.Issue("coord", CertificateRole.Server));
        var expired = Load(site.Issue("old", CertificateRole.Server, days: 1, notBefore: DateTimeOffset.UtcNow.AddDays(-3)));

        var atServer = new PeerCertificateCheck(site.Certificate, new HashSet<CertificateRole> { CertificateRole.Server, CertificateRole.Computer });
        var atComputer = new PeerCertificateCheck(site.Certificate, new HashSet<CertificateRole> { CertificateRole.Server });
        atServer.Refusal(server).Should().BeNull();
        atServer.Refusal(computer).Should().BeNull();
        atComputer.Refusal(server).Should().BeNull();
        atComputer.Refusal(computer).Should().Be("its certificate 'CN=pc01, OU=computer, O=OgActors' is a computer certificate, and this node accepts only server certificates");
        atServer.Refusal(null).Should().Be("it presented no certificate");
        atServer.Refusal(intruder).Should().StartWith("its certificate 'CN=coord, OU=server, O=OgActors' (issued by 'CN=Student CA, O=OgActors') does not chain to this site's CA 'CN=OgActors site CA, O=OgActors'");
        atServer.Refusal(expired).Should().StartWith("its certificate 'CN=old, OU=server, O=OgActors' expired on ");
    }

    [Fact]
    public void A_node_with_tls_on_does_not_start_without_its_files_or_with_an_expired_foreign_or_wrong_role_certificate()
    {
        var site = SiteAuthority.Init(Path.Combine(_dir, "site"), notBefore: DateTimeOffset.UtcNow.AddDays(-10));
        var foreign = SiteAuthority.Init(Path.Combine(_dir, "foreign"), "Student CA");
        string Tls(IssuedCertificate c) => $"og.tls {{ ca = \"{site.CertificatePath}\", certificate = \"{c.CertificatePath}\", key = \"{c.KeyPath}\" }}";
        string Refusal(NodeRole role, string hocon)
        {
            var act = () => TlsSettings.From(OgConfiguration.Build(role, null, hocon));
            return act.Should().Throw<SettingsException>().Which.Message;
        }

        Refusal(NodeRole.Coordinator, "").Should().StartWith("TLS is on (og.tls.enabled) but og.tls.ca, the site CA certificate, is not set (--tls-ca)");
        Refusal(NodeRole.Coordinator, $"og.tls {{ ca = \"{site.CertificatePath}\", certificate = \"{_dir}/none.crt\", key = \"{_dir}/none.key\" }}")
            .Should().Be($"The node (og.tls.certificate / og.tls.key) certificate '{_dir}/none.crt' does not exist.");
        Refusal(NodeRole.Coordinator, Tls(site.Issue("old", CertificateRole.Server, days: 1, notBefore: DateTimeOffset.UtcNow.AddDays(-3))))
            .Should().Contain("cannot use").And.Contain("as a server (og.tls.role): its certificate 'CN=old, OU=server, O=OgActors' expired on");
        Refusal(NodeRole.Repository, Tls(foreign.Issue("repo", CertificateRole.Server))).Should().Contain("does not chain to this site's CA");
        Refusal(NodeRole.Coordinator, Tls(site.Issue("pc01", CertificateRole.Computer)))
            .Should().EndWith("it is a computer certificate, but this node is a server (og.tls.role); issue it one with 'ogctl pki issue --role server'.");
        Refusal(NodeRole.Client, Tls(site.Issue("coord", CertificateRole.Server)))
            .Should().EndWith("it is a server certificate, but this node is a computer (og.tls.role); issue it one with 'ogctl pki issue --role computer'.");

        var ok = TlsSettings.From(OgConfiguration.Build(NodeRole.Client, null, Tls(site.Issue("pc02", CertificateRole.Computer))));
        ok.Enabled.Should().BeTrue();
        ok.Check!.Accepted.Should().BeEquivalentTo([CertificateRole.Server, CertificateRole.Computer], "a computer accepts servers, and site computers for the master relay");
        TlsSettings.From(OgConfiguration.Build(NodeRole.Coordinator, null, "og.tls.enabled = off")).Enabled.Should().BeFalse();
    }

    [Fact]
    public void Seed_nodes_are_read_with_the_scheme_of_the_transport()
    {
        var withTls = NodeSettings.From(OgConfiguration.Build(NodeRole.Client, null,
            "og.cluster.seed-nodes = [\"akka.tcp://ogactors@coord:4053\", \"akka.ssl.tcp://ogactors@coord2:4053\"]"));
        withTls.SeedNodes.Should().Equal("akka.ssl.tcp://ogactors@coord:4053", "akka.ssl.tcp://ogactors@coord2:4053");
        var without = NodeSettings.From(OgConfiguration.Build(NodeRole.Client, null,
            "og.tls.enabled = off\nog.cluster.seed-nodes = [\"akka.ssl.tcp://ogactors@coord:4053\"]"));
        without.SeedNodes.Should().Equal("akka.tcp://ogactors@coord:4053");
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 Load(IssuedCertificate c) =>
        PemFiles.ReadCertificateWithKey(c.CertificatePath, c.KeyPath, c.Name);
}
