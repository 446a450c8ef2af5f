using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.TestKit;
using OgActors.Coordinator.Sessions;
using OgActors.Coordinator.Tests.Support;
using OgActors.Hosting.Tls;
using OgActors.Messages.Common;
using OgActors.Messages.Sessions;
using OgActors.Pki;

namespace OgActors.Coordinator.Tests;

/// <summary>
/// With og.tls on, the coordinator signs what it orders a computer: the dispatcher each RunJob and CancelJob as it sends
/// it (a job that waited in the queue is signed when it leaves, not when it was queued; a resend carries a new seal), the
/// session each JobFinishedAck; and the dispatcher takes orders only from sessions that signed them. A TestProbe stands in
/// for the computer's agent and checks every order as a computer does.
/// </summary>
public sealed class SignedJobOrderSessionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("og-signed-orders-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Every_order_a_computer_receives_is_signed_by_the_coordinator_at_the_moment_it_is_sent()
    {
        var site = SiteAuthority.Init(Path.Combine(_dir, "ca"));
        var issued = site.Issue("coordinator", CertificateRole.Server);
        using var certificate = PemFiles.ReadCertificateWithKey(issued.CertificatePath, issued.KeyPath, "coordinator");
        var pc01 = new JobOrderVerifier(site.Certificate, TimeSpan.FromMinutes(1));
        void Obeyed(IJobOrder order) => pc01.Refusal(order, "pc01", DateTimeOffset.UtcNow).Should().BeNull(order.GetType().Name + " is obeyed");

        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, new SessionSettings
        {
            ResendInterval = TimeSpan.FromMilliseconds(400),
            Orders = new JobOrderSigner(certificate, TimeSpan.FromMinutes(1)),
            OrderCheck = new JobOrderVerifier(site.Certificate, TimeSpan.FromMinutes(1), JobOrderAudience.Dispatcher),
        });
        await Scenario.DefineLabAsync(host, "pc01");
        var agent = host.Kit.CreateTestProbe();
        host.System.EventStream.Publish(new AgentAvailable("pc01", agent.Ref, [JobKinds.Of(SessionKind.Restore, TransferMethod.Unicast)]));
        var request = new SessionRequest(SessionKind.Restore, Computers: ["pc01"], Image: "win11", Partition: 1, Method: TransferMethod.Unicast);

        var first = ((Accepted)await host.Domain.Planner.StartAsync(request, "alice")).Id!;
        var run = agent.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));
        var resent = agent.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5)); // not acknowledged yet: sent again, signed again
        Obeyed(run);
        Obeyed(resent);
        resent.Seal!.Nonce.Should().NotBe(run.Seal!.Nonce);
        run.Seal.Certificate.Should().Be(Convert.ToBase64String(certificate.RawData));
        run.ReplyTo.Tell(new JobAccepted(first, "pc01"), agent.Ref);

        // A second session's job waits for pc01; when the first ends, it leaves the queue signed then.
        var second = ((Accepted)await host.Domain.Planner.StartAsync(request, "bob")).Id!;
        await Task.Delay(300);
        agent.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => m);
        var released = DateTimeOffset.UtcNow;
        run.ReplyTo.Tell(new JobFinished(first, "pc01", JobOutcome.Succeeded, "cache", "", 1, TimeSpan.FromSeconds(1), ""), agent.Ref);
        var ack = agent.FishForMessage<JobFinishedAck>(m => m is JobFinishedAck, TimeSpan.FromSeconds(5));
        Obeyed(ack);
        var queued = agent.FishForMessage<RunJob>(m => m is RunJob r && r.SessionId == second, TimeSpan.FromSeconds(10));
        Obeyed(queued);
        queued.Seal!.IssuedAt.Should().BeOnOrAfter(released.AddMilliseconds(-1), "it was signed when it was sent, not when it was queued");

        queued.ReplyTo.Tell(new JobAccepted(second, "pc01"), agent.Ref);
        (await host.Domain.Planner.StartAsync(request, "carol")).Should().BeOfType<Accepted>(); // a third session waits behind the second

        // The dispatcher signs only what a session signed: an order handed to it unsigned, or signed with a computer's
        // certificate, is refused — also a CancelJob for the running job, and a ReleaseComputer — and nothing reaches the computer.
        var dispatcher = host.Registry.Get<OgActors.Coordinator.Domain.JobDispatcherKey>();
        var pcIssued = site.Issue("pc-student", CertificateRole.Computer);
        using var pcCertificate = PemFiles.ReadCertificateWithKey(pcIssued.CertificatePath, pcIssued.KeyPath, "pc-student");
        var student = new JobOrderSigner(pcCertificate, TimeSpan.FromMinutes(1));
        var injected = new RunJob("injected", "pc01", run.Spec, agent.Ref);
        dispatcher.Tell(new DispatchJob(injected));
        dispatcher.Tell(new DispatchJob(student.Seal(injected with { SessionId = "injected-signed" }, audience: JobOrderAudience.Dispatcher)));
        dispatcher.Tell(new DispatchJob(run)); // the order the computer received, handed back: signed for a computer, not for the dispatcher
        dispatcher.Tell(new CancelJob(second, "pc01"));
        dispatcher.Tell(student.Seal(new CancelJob(second, "pc01"), audience: JobOrderAudience.Dispatcher));
        // believed, a release would start the third session's job on pc01 while the second's runs
        dispatcher.Tell(new ReleaseComputer(second, "pc01"));
        dispatcher.Tell(student.Seal(new ReleaseComputer(second, "pc01"), audience: JobOrderAudience.Dispatcher));
        agent.ReceiveWhile(TimeSpan.FromSeconds(2), m => m).Should().NotContain(m =>
            m is CancelJob || m is JobQueued || m is RunJob && ((RunJob)m).SessionId != second, "nothing handed to the dispatcher without a session's signature went on");

        (await host.Domain.AskAsync(new CancelSession(second, "bob"))).Should().BeOfType<Accepted>();
        Obeyed(agent.FishForMessage<CancelJob>(m => m is CancelJob c && c.SessionId == second, TimeSpan.FromSeconds(5)));
    }
}
