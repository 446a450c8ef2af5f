using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using OgActors.ClientNode.Jobs;
using OgActors.ClientNode.Tests.Support;
using OgActors.Hosting.Tls;
using OgActors.Messages.Sessions;
using OgActors.Pki;

namespace OgActors.ClientNode.Tests.Jobs;

/// <summary>
/// A computer's job runner with TLS on (<see cref="JobRunnerSettings.Orders"/> set): even from a sender it takes for a
/// coordinator (here its own ActorSystem), it obeys only orders signed by a server certificate of the site, for it, once.
/// An unsigned RunJob or one a computer certificate signed runs nothing and is not answered; an unsigned acknowledgement
/// does not stop the JobFinished resends; a replayed order is not answered; a freshly signed resend is.
/// </summary>
public sealed class SignedJobOrderTests : RepositoryTestBase
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    private X509Certificate2 Certificate(SiteAuthority site, string name, CertificateRole role)
    {
        var issued = site.Issue(name, role);
        return PemFiles.ReadCertificateWithKey(issued.CertificatePath, issued.KeyPath, name);
    }

    [Fact]
    public async Task The_runner_obeys_only_orders_a_coordinator_signed_for_it_each_once()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        await PublishAsync(image, "ubuntu");
        var site = SiteAuthority.Init(Path.Combine(Scratch, "site"));
        var coordinator = new JobOrderSigner(Certificate(site, "coordinator", CertificateRole.Server), TimeSpan.FromMinutes(5));
        var student = new JobOrderSigner(Certificate(site, "pc-student", CertificateRole.Computer), TimeSpan.FromMinutes(5));
        var settings = ComputerSettings("pc08", 64) with { Orders = new JobOrderVerifier(site.Certificate, TimeSpan.FromMinutes(5)) };
        var runner = Sys.ActorOf(JobRunnerActor.Props(settings));
        var session = CreateTestProbe();
        async Task<JobRunnerActor.Jobs> Jobs() => await runner.Ask<JobRunnerActor.Jobs>(new JobRunnerActor.GetJobs(), TimeSpan.FromSeconds(5));

        EventFilter.Warning(contains: "Refused RunJob of session unsigned for pc08").ExpectOne(() =>
            runner.Tell(UnicastJob("unsigned", "pc08", SessionKind.UpdateCache, "ubuntu", session.Ref), session.Ref));
        EventFilter.Warning(contains: "it is not signed by a coordinator: its certificate 'CN=pc-student, OU=computer, O=OgActors' is a computer certificate")
            .ExpectOne(() => runner.Tell(student.Seal(UnicastJob("student", "pc08", SessionKind.UpdateCache, "ubuntu", session.Ref)), session.Ref));
        session.ExpectNoMsg(TimeSpan.FromSeconds(1));
        var idle = await Jobs();
        idle.Running.Should().BeNull();
        idle.Queued.Should().BeEmpty();
        idle.Finished.Should().BeEmpty();

        var order = coordinator.Seal(UnicastJob("s1", "pc08", SessionKind.UpdateCache, "ubuntu", session.Ref));
        runner.Tell(order, session.Ref);
        session.FishForMessage<JobAccepted>(m => m is JobAccepted, Long).SessionId.Should().Be("s1");
        var finished = session.FishForMessage<JobFinished>(m => m is JobFinished, Long);
        finished.Outcome.Should().Be(JobOutcome.Succeeded, finished.Error);

        // An unsigned acknowledgement is refused: the outcome is still resent. A signed one stops the resends.
        runner.Tell(new JobFinishedAck("s1", "pc08"), session.Ref);
        session.FishForMessage<JobFinished>(m => m is JobFinished, TimeSpan.FromSeconds(10));
        runner.Tell(coordinator.Seal(new JobFinishedAck("s1", "pc08")), session.Ref);
        await Task.Delay(500); // a resend already on its way may still arrive
        session.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => m);
        session.ExpectNoMsg(TimeSpan.FromSeconds(1)); // the signed acknowledgement stopped the resends

        // The same signed order again (a replay) is refused; the job signed afresh (the dispatcher's resend) is answered with where it is.
        EventFilter.Warning(contains: "a replayed order").ExpectOne(() => runner.Tell(order, session.Ref));
        session.ExpectNoMsg(TimeSpan.FromSeconds(1));
        runner.Tell(coordinator.Seal(order with { Seal = null }), session.Ref);
        session.FishForMessage<JobFinished>(m => m is JobFinished, TimeSpan.FromSeconds(10)).Outcome.Should().Be(JobOutcome.Succeeded);
        (await Jobs()).Finished.Should().ContainSingle("the job ran once");
    }
}
