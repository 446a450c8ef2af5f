using System.Diagnostics;
using Akka.Actor;
using OgActors.Cluster.Tests.Support;
using OgActors.Coordinator.Api;
using OgActors.Pki;

namespace OgActors.Cluster.Tests;

/// <summary>
/// Attacks on the transport of a lab running with mutual TLS (its default): processes that are not ours try to join
/// the cluster or reach a computer, without a certificate, with one from another CA, or with a computer certificate.
/// Each is refused with a log line saying why, and the lab carries on (its members and computers unchanged).
/// </summary>
public sealed class TlsAttackTests(LabFixture fixture) : IClassFixture<LabFixture>, IDisposable
{
    private readonly Lab.AllInOneLab _lab = fixture.Lab;
    private readonly string _dir = TestPaths.TempDir("tls-attack");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(6);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private Lab.LabPki Pki => _lab.Pki ?? throw new InvalidOperationException("the lab runs with TLS by default");

    private System.Security.Cryptography.X509Certificates.X509Certificate2 SiteCertificate(string name, CertificateRole role)
    {
        var issued = Pki.Issue(name, role);
        return PemFiles.ReadCertificateWithKey(issued.CertificatePath, issued.KeyPath, name);
    }

    private System.Security.Cryptography.X509Certificates.X509Certificate2 ForeignCertificate(string name, CertificateRole role)
    {
        var dir = Path.Combine(_dir, "foreign-ca");
        var ca = File.Exists(Path.Combine(dir, SiteAuthority.CertificateFile)) ? SiteAuthority.Open(dir) : SiteAuthority.Init(dir, "Student CA");
        var issued = ca.Issue(name, role);
        return PemFiles.ReadCertificateWithKey(issued.CertificatePath, issued.KeyPath, name);
    }

    private string CoordinatorSeed => _lab.Coordinator.Cluster.SelfAddress.ToString();

    [Fact]
    public async Task A_process_without_a_certificate_cannot_join_the_cluster()
    {
        var log = WarningLog.On(_lab.Coordinator.System);
        using var intruder = Intruder.Start(ForeignCertificate("no-cert", CertificateRole.Server), presentCertificate: false, "cluster", CoordinatorSeed);
        await AssertNeverJoinsAsync(intruder);
        log.Lines.Should().Contain(l => l.Contains("did not provide a certificate"));
        await AssertLabUnchangedAsync();
    }

    [Fact]
    public async Task A_process_with_a_certificate_of_another_ca_cannot_join_the_cluster_and_the_refusal_says_why()
    {
        var log = WarningLog.On(_lab.Coordinator.System);
        using var intruder = Intruder.Start(ForeignCertificate("coordinator", CertificateRole.Server), presentCertificate: true, "cluster", CoordinatorSeed);
        await AssertNeverJoinsAsync(intruder);
        log.Lines.Should().Contain(l => l.StartsWith("Refused the TLS peer") &&
                                        l.Contains("(issued by 'CN=Student CA, O=OgActors') does not chain to this site's CA"));
        await AssertLabUnchangedAsync();
    }

    [Fact]
    public async Task A_computer_certificate_that_joins_the_cluster_is_downed_because_it_cannot_prove_a_server_certificate()
    {
        var log = WarningLog.On(_lab.Coordinator.System);
        var certificate = SiteCertificate("pc-member", CertificateRole.Computer);
        // The strongest student: the same split-brain settings as the site (so the join is not refused as incompatible), and
        // our own proof responder, signing honestly with the computer certificate it has.
        using var intruder = Intruder.Start(certificate, presentCertificate: true, "cluster", CoordinatorSeed, $$"""
            akka.cluster.downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            akka.cluster.split-brain-resolver { active-strategy = keep-oldest, stable-after = 15s, down-all-when-unstable = off
                                                keep-oldest { role = "coordinator", down-if-alone = off } }
            akka.cluster.roles = [repository]
            """);
        intruder.ActorOf(OgActors.Hosting.Tls.MembershipProofResponder.Props(certificate), OgActors.Hosting.Tls.MembershipProofResponder.Name);
        var address = Akka.Cluster.Cluster.Get(intruder).SelfAddress.ToString();

        await Eventually.Within(TimeSpan.FromSeconds(20), () => Task.FromResult(log.Lines.Any(l => l.StartsWith($"Downing member {address}") &&
            l.Contains("'CN=pc-member, OU=computer, O=OgActors' is a computer certificate, and this node accepts only server certificates"))),
            "the coordinator downs the member that proved only a computer certificate");
        await Eventually.Within(TimeSpan.FromSeconds(20), () => Task.FromResult(
            ClusterApi.View(_lab.Coordinator.Cluster).Members.All(m => m.Address != address)), "the intruder is removed from the cluster");
        await AssertLabUnchangedAsync();
    }

    [Fact]
    public async Task A_computer_certificate_of_another_ca_cannot_reach_a_computer_but_a_server_certificate_of_the_site_can()
    {
        // Computers accept site computers too (the master relay of clone-remote links receivers to the master);
        // what such a link may carry is checked per message. A certificate the site did not issue gets no link at all.
        var pc01 = _lab.Client("pc01")!;
        var agent = new RootActorPath(pc01.Address) / "user" / Messages.Computers.ComputerRegistryPaths.AgentName;
        var log = WarningLog.On(pc01.System);

        using (var student = Intruder.Start(ForeignCertificate("pc99", CertificateRole.Computer), presentCertificate: true))
        {
            // No link: the message is dropped (Akka answers an Identify it could not deliver with an empty identity, or not at all).
            ActorIdentity? reply = null;
            try { reply = await student.ActorSelection(agent).Ask<ActorIdentity>(new Identify(1), TimeSpan.FromSeconds(4)); }
            catch (AskTimeoutException) { }
            reply?.Subject.Should().BeNull("pc01 accepts Akka links only from certificates of its own site");
            await Eventually.Within(TimeSpan.FromSeconds(5), () => Task.FromResult(log.Lines.Any(l =>
                l.StartsWith("Refused the TLS peer") && l.Contains("does not chain to this site's CA"))),
                "pc01 logs why it refused the student's certificate");
        }

        // The control: the same path, reached with a server certificate of the site, answers.
        using var server = Intruder.Start(SiteCertificate("probe-server", CertificateRole.Server), presentCertificate: true);
        var identity = await server.ActorSelection(agent).Ask<ActorIdentity>(new Identify(2), TimeSpan.FromSeconds(10));
        identity.Subject.Should().NotBeNull();
        await AssertLabUnchangedAsync();
    }

    [Fact]
    public async Task Openssl_s_client_without_a_client_certificate_is_cut_off_and_with_one_of_the_site_stays_connected()
    {
        var port = _lab.Coordinator.Cluster.SelfAddress.Port!.Value;
        var log = WarningLog.On(_lab.Coordinator.System);

        using (var bare = SClient(port))
        {
            // Its standard input stays open: only the server ends this connection.
            bare.WaitForExit(10_000).Should().BeTrue("the coordinator drops a TLS client that shows no certificate");
            (await bare.StandardOutput.ReadToEndAsync() + await bare.StandardError.ReadToEndAsync())
                .Should().Contain("O = OgActors, OU = server, CN = coordinator", "the handshake reached the node's certificate, then was refused");
        }
        log.Lines.Should().Contain(l => l.Contains("did not provide a certificate"));

        var issued = Pki.Issue("openssl-pc", CertificateRole.Computer);
        using var withCertificate = SClient(port, "-cert", issued.CertificatePath, "-key", issued.KeyPath, "-CAfile", Pki.CaPath, "-verify_return_error");
        withCertificate.WaitForExit(3_000).Should().BeFalse("a client with a certificate of the site is let in (and then speaks no Akka)");
        withCertificate.Kill();
        await AssertLabUnchangedAsync();
    }

    private static Process SClient(int port, params string[] more) => Process.Start(new ProcessStartInfo("openssl",
        ["s_client", "-connect", $"127.0.0.1:{port}", "-tls1_2", "-quiet", .. more])
    {
        RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
    })!;

    private async Task AssertNeverJoinsAsync(ActorSystem intruder)
    {
        var cluster = Akka.Cluster.Cluster.Get(intruder);
        await Task.Delay(Patience);
        cluster.State.Members.Should().NotContain(m => m.Address.Equals(cluster.SelfAddress) && m.Status == Akka.Cluster.MemberStatus.Up);
        ClusterApi.View(_lab.Coordinator.Cluster).Members.Select(m => m.Address).Should()
            .NotContain(cluster.SelfAddress.ToString(), "the coordinator never saw the intruder join");
    }

    private async Task AssertLabUnchangedAsync()
    {
        var view = ClusterApi.View(_lab.Coordinator.Cluster);
        view.Members.Should().HaveCount(2).And.OnlyContain(m => m.Status == "Up" && m.Reachability == "reachable");
        (await _lab.ComputersAsync()).Where(c => c.Name.StartsWith("pc0")).Should().HaveCount(3).And.OnlyContain(c => c.Online);
    }
}
