using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Configuration;
using OgActors.Hosting.Configuration;
using OgActors.Hosting.Tls;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Sessions;
using OgActors.Pki;

namespace OgActors.ClientNode.Tests.Jobs;

/// <summary>
/// The computer's check of a job order's signature (<see cref="JobOrderVerifier"/>), pure, over certificates made by a
/// throwaway <see cref="SiteAuthority"/>: what it obeys (an order a coordinator signed for this computer, once, in time)
/// and each thing it refuses, with its sentence.
/// </summary>
public sealed class JobOrderVerifierTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly string _dir = Directory.CreateTempSubdirectory("og-orders-").FullName;
    private readonly SiteAuthority _site;
    private readonly X509Certificate2 _coordinator;

    public JobOrderVerifierTests()
    {
        _site = SiteAuthority.Init(Path.Combine(_dir, "site"), notBefore: Now.AddDays(-10));
        _coordinator = Certificate(_site, "coordinator", CertificateRole.Server);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static X509Certificate2 Certificate(SiteAuthority ca, string name, CertificateRole role, int days = 30, DateTimeOffset? notBefore = null)
    {
        var issued = ca.Issue(name, role, days: days, notBefore: notBefore);
        return PemFiles.ReadCertificateWithKey(issued.CertificatePath, issued.KeyPath, name);
    }

    private static JobSpec Spec(string repository = "repo1") => new(SessionKind.Restore, JobRole.Single, "ubuntu", 3, 1, repository,
        TransferMethod.Unicast, new MulticastSettings(9000, "239.194.0.1", DuplexMode.Full, 100, 0, 60), new P2PSettings(P2PMode.Peer, 60), "", null);

    private static RunJob Run(string computer = "pc01", string session = "s1") => new(session, computer, Spec(), ActorRefs.Nobody);

    private JobOrderVerifier Verifier() => new(_site.Certificate, TimeSpan.FromMinutes(5));

    private JobOrderSigner Coordinator(TimeSpan? lifetime = null) => new(_coordinator, lifetime ?? TimeSpan.FromMinutes(5));

    [Fact]
    public void An_order_a_coordinator_signed_for_this_computer_is_obeyed_once_and_its_replay_is_refused()
    {
        var verifier = Verifier();
        var order = Coordinator().Seal(Run(), Now);
        verifier.Refusal(order, "pc01", Now).Should().BeNull();
        verifier.Refusal(order, "PC01", Now.AddSeconds(1)).Should().Be($"it was obeyed once already (nonce {order.Seal!.Nonce}): a replayed order");

        // The same job signed again (a resend by the dispatcher) is a new order, with its own nonce: obeyed (the runner reports where the job is).
        verifier.Refusal(Coordinator().Seal(Run(), Now), "pc01", Now).Should().BeNull();
        verifier.Refusal(Coordinator().Seal(new CancelJob("s1", "pc01"), Now), "pc01", Now).Should().BeNull();
        verifier.Refusal(Coordinator().Seal(new JobFinishedAck("s1", "pc01"), Now), "pc01", Now).Should().BeNull();
    }

    [Fact]
    public void An_unsigned_order_is_refused()
    {
        Verifier().Refusal(Run(), "pc01", Now).Should()
            .Be("it is not signed, and with og.tls on only job orders a coordinator signed are obeyed");
        Verifier().Refusal(new CancelJob("s1", "pc01"), "pc01", Now).Should().StartWith("it is not signed");
    }

    [Fact]
    public void An_order_signed_with_a_computer_certificate_of_the_site_is_refused()
    {
        // What a student can do: sign with the computer certificate the PXE image holds.
        var student = new JobOrderSigner(Certificate(_site, "pc-student", CertificateRole.Computer), TimeSpan.FromMinutes(5));
        Verifier().Refusal(student.Seal(Run(), Now), "pc01", Now).Should().Be(
            "it is not signed by a coordinator: its certificate 'CN=pc-student, OU=computer, O=OgActors' is a computer certificate, " +
            "and this node accepts only server certificates");
    }

    [Fact]
    public void An_order_signed_by_a_server_of_another_ca_or_with_an_expired_server_certificate_is_refused()
    {
        var foreign = SiteAuthority.Init(Path.Combine(_dir, "foreign"), "Student CA");
        var forged = new JobOrderSigner(Certificate(foreign, "coordinator", CertificateRole.Server), TimeSpan.FromMinutes(5));
        Verifier().Refusal(forged.Seal(Run(), Now), "pc01", Now).Should()
            .StartWith("it is not signed by a coordinator: its certificate 'CN=coordinator, OU=server, O=OgActors' (issued by 'CN=Student CA, O=OgActors') does not chain to this site's CA");

        var old = new JobOrderSigner(Certificate(_site, "old-coordinator", CertificateRole.Server, days: 1, notBefore: Now.AddDays(-3)), TimeSpan.FromMinutes(5));
        Verifier().Refusal(old.Seal(Run(), Now), "pc01", Now).Should()
            .StartWith("it is not signed by a coordinator: its certificate 'CN=old-coordinator, OU=server, O=OgActors' expired on");
    }

    [Fact]
    public void An_order_altered_after_signing_is_refused_its_spec_its_computer_its_session_or_its_kind()
    {
        const string mismatch = "its signature by 'CN=coordinator, OU=server, O=OgActors' does not match its content";
        var genuine = Coordinator().Seal(Run(), Now);
        Verifier().Refusal(genuine with { Spec = Spec("repo-of-the-attacker") }, "pc01", Now).Should().StartWith(mismatch);
        Verifier().Refusal(genuine with { Spec = genuine.Spec with { Partition = 2 } }, "pc01", Now).Should().StartWith(mismatch);
        Verifier().Refusal(genuine with { Computer = "pc02" }, "pc02", Now).Should().StartWith(mismatch);
        Verifier().Refusal(genuine with { SessionId = "s2" }, "pc01", Now).Should().StartWith(mismatch);
        Verifier().Refusal(genuine with { Seal = genuine.Seal! with { ExpiresAt = Now.AddDays(1) } }, "pc01", Now).Should().StartWith(mismatch);

        // A seal moved onto another kind of order for the same job: an acknowledgement's seal does not make a cancel.
        var ack = Coordinator().Seal(new JobFinishedAck("s1", "pc01"), Now);
        Verifier().Refusal(new CancelJob("s1", "pc01", ack.Seal), "pc01", Now).Should().StartWith(mismatch);

        // The coordinator's own certificate copied into a seal signed with another key.
        var student = new JobOrderSigner(Certificate(_site, "pc-student", CertificateRole.Computer), TimeSpan.FromMinutes(5)).Seal(Run(), Now);
        Verifier().Refusal(student with { Seal = student.Seal! with { Certificate = Convert.ToBase64String(_coordinator.RawData) } }, "pc01", Now)
            .Should().StartWith(mismatch);

        Verifier().Refusal(genuine with { Seal = genuine.Seal! with { Certificate = "not base64!" } }, "pc01", Now)
            .Should().Be("its seal holds no readable certificate or signature");
    }

    [Fact]
    public void An_order_a_session_signed_for_the_dispatcher_is_not_one_for_a_computer_nor_the_other_way()
    {
        var forDispatcher = Coordinator().Seal(Run(), Now, JobOrderAudience.Dispatcher);
        Verifier().Refusal(forDispatcher, "pc01", Now).Should().Be("it is signed as an order for the job dispatcher, not for a computer");
        Verifier().Refusal(forDispatcher with { Seal = forDispatcher.Seal! with { Audience = JobOrderAudience.Computer } }, "pc01", Now)
            .Should().StartWith("its signature by 'CN=coordinator, OU=server, O=OgActors' does not match its content");

        var dispatcher = new JobOrderVerifier(_site.Certificate, TimeSpan.FromMinutes(5), JobOrderAudience.Dispatcher);
        dispatcher.SealRefusal(forDispatcher, Now).Should().BeNull();
        dispatcher.SealRefusal(Coordinator().Seal(Run(), Now), Now).Should().Be("it is signed as an order for a computer, not for the job dispatcher");
        dispatcher.SealRefusal(Run(), Now).Should().StartWith("it is not signed");
    }

    [Fact]
    public void A_coordinator_certificate_checked_once_is_still_refused_once_it_has_expired()
    {
        // The verifier keeps the certificates that passed (the chain is built once per coordinator, not per order), but
        // only within their validity: the same certificate after its end is checked again, and refused.
        var verifier = Verifier();
        var shortLived = new JobOrderSigner(Certificate(_site, "short-lived", CertificateRole.Server, days: 2, notBefore: Now.AddDays(-1)), TimeSpan.FromMinutes(5));
        verifier.Refusal(shortLived.Seal(Run(session: "today"), Now), "pc01", Now).Should().BeNull();
        verifier.Refusal(shortLived.Seal(Run(session: "tomorrow"), Now.AddHours(12)), "pc01", Now.AddHours(12)).Should().BeNull();
        var later = Now.AddDays(2);
        verifier.Refusal(shortLived.Seal(Run(session: "later"), later), "pc01", later).Should()
            .StartWith("it is not signed by a coordinator: its certificate 'CN=short-lived, OU=server, O=OgActors' expired on");
    }

    [Fact]
    public void A_genuine_order_for_another_computer_is_refused()
    {
        Verifier().Refusal(Coordinator().Seal(Run("pc03"), Now), "pc01", Now).Should().Be("it is addressed to computer pc03, and this is pc01");
    }

    [Fact]
    public void An_expired_order_or_one_signed_in_the_future_beyond_the_clock_skew_is_refused()
    {
        var signer = Coordinator(TimeSpan.FromMinutes(5));
        var verifier = Verifier(); // skew 5 min
        verifier.Refusal(signer.Seal(Run(session: "late"), Now.AddMinutes(-9)), "pc01", Now).Should().BeNull("expired 4 min ago, within the skew");
        var stale = signer.Seal(Run(session: "stale"), Now.AddMinutes(-11));
        verifier.Refusal(stale, "pc01", Now).Should().Be(
            $"it expired at {stale.Seal!.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC (this node's clock says {Now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; allowed skew 5 min)");
        verifier.Refusal(signer.Seal(Run(session: "ahead"), Now.AddMinutes(4)), "pc01", Now).Should().BeNull("a coordinator clock 4 min ahead");
        verifier.Refusal(signer.Seal(Run(session: "future"), Now.AddMinutes(6)), "pc01", Now).Should()
            .StartWith("it was signed at").And.EndWith("after this node's clock (" + $"{Now.UtcDateTime:yyyy-MM-dd HH:mm:ss}" + " UTC) by more than 5 min; check both clocks");
    }

    [Fact]
    public void A_replay_after_the_order_expired_is_refused_as_expired_and_old_nonces_are_forgotten()
    {
        var verifier = new JobOrderVerifier(_site.Certificate, TimeSpan.FromMinutes(1), remembered: 2);
        var signer = Coordinator(TimeSpan.FromMinutes(1));
        var first = signer.Seal(Run(session: "a"), Now);
        verifier.Refusal(first, "pc01", Now).Should().BeNull();
        verifier.Refusal(signer.Seal(Run(session: "b"), Now), "pc01", Now).Should().BeNull();
        verifier.Remembered.Should().Be(2);
        verifier.Refusal(signer.Seal(Run(session: "c"), Now.AddMinutes(3)), "pc01", Now.AddMinutes(3)).Should().BeNull();
        verifier.Remembered.Should().Be(1, "the expired orders' nonces were forgotten");
        verifier.Refusal(first, "pc01", Now.AddMinutes(3)).Should().StartWith("it expired at");
    }

    [Fact]
    public void An_rsa_server_certificate_of_the_site_signs_orders_too()
    {
        // ogctl pki issues ECDSA P-256; a site may have made its servers' certificates elsewhere, with RSA keys.
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=rsa-coordinator, OU=server, O=OgActors", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(CertificateRoles.TlsServerOid), new Oid(CertificateRoles.ServerOid)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_site.Certificate, true, false));
        using var caKey = _site.Certificate.GetECDsaPrivateKey()!; // the site CA's key is ECDSA: it signs the RSA certificate
        using var issued = request.Create(_site.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
            Now.AddMinutes(-5), Now.AddDays(30), [1, 2, 3, 4]);
        using var rsa = issued.CopyWithPrivateKey(key);

        var order = new JobOrderSigner(rsa, TimeSpan.FromMinutes(5)).Seal(Run(), Now);
        Verifier().Refusal(order, "pc01", Now).Should().BeNull();
        Verifier().Refusal(order with { Spec = Spec("elsewhere") }, "pc01", Now).Should().StartWith("its signature by 'CN=rsa-coordinator");
    }

    [Fact]
    public void With_tls_off_there_is_no_signer_nor_verifier_and_with_it_on_bad_order_times_stop_the_node_with_one_sentence()
    {
        JobOrderSigner.From(TlsSettings.Off).Should().BeNull();
        JobOrderVerifier.From(TlsSettings.Off).Should().BeNull();

        var pc = _site.Issue("pc01", CertificateRole.Computer);
        Config Tls(string more) => OgConfiguration.Build(NodeRole.Client, null,
            $"og.tls {{ enabled = on, ca = \"{_site.CertificatePath}\", certificate = \"{pc.CertificatePath}\", key = \"{pc.KeyPath}\" }}\n" + more);
        var tls = TlsSettings.From(Tls("og.tls.job-orders.clock-skew = 90s"));
        JobOrderVerifier.From(tls)!.ClockSkew.Should().Be(TimeSpan.FromSeconds(90));
        JobOrderSigner.From(tls)!.Lifetime.Should().Be(TimeSpan.FromMinutes(5), "the default");

        FluentActions.Invoking(() => TlsSettings.From(Tls("og.tls.job-orders.lifetime = 0s"))).Should().Throw<SettingsException>()
            .WithMessage("og.tls.job-orders.lifetime must be longer than zero, got '0s'.");
        FluentActions.Invoking(() => TlsSettings.From(Tls("og.tls.job-orders.clock-skew = soon"))).Should().Throw<SettingsException>()
            .WithMessage("og.tls.job-orders.clock-skew must be a duration such as 5m, got 'soon'.");
    }
}
