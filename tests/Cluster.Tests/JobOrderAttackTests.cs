using System.Text.Json;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using OgActors.ClientNode.Jobs;
using OgActors.Cluster.Tests.Support;
using OgActors.Coordinator.Sessions;
using OgActors.Hosting.Tls;
using OgActors.Lab;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Sessions;
using OgActors.Pki;

namespace OgActors.Cluster.Tests;

/// <summary>
/// Attack on job orders, in a lab with mutual TLS on (its default): a student holds the site's computer certificate (the
/// PXE image has it; computers accept it, for clone-remote's master relay) and runs a plain ActorSystem that reaches pc01's
/// job runner and the coordinator's job dispatcher, naming the coordinator as the sender of everything it sends — the
/// address check (<see cref="CoordinatorAuthority"/>) believes that, since Akka.Remote's envelope does not authenticate the
/// sender. While a real restore runs on pc01 and pc02, the student sends pc01 an unsigned RunJob, one signed with the
/// computer certificate, a genuine order the coordinator signed for pc03 (as kept by a student who sat at pc03; the test
/// signs it with the coordinator's key, as the dispatcher does) as it is and readdressed to pc01, a genuine order with its
/// spec altered, and CancelJobs for the real session; and hands the dispatcher RunJobs for pc03 (unsigned, signed with the
/// computer certificate, the genuine pc03 order), a CancelJob for pc02 and a ReleaseComputer that would free pc02 mid-job.
/// Each is refused with a log line saying why, nothing answers the student, nothing of theirs runs on any computer, and the
/// real session succeeds.
/// </summary>
public sealed class JobOrderAttackTests : IAsyncLifetime
{
    private const int ImageMiB = 24;
    private readonly string _dir = TestPaths.TempDir("orders");
    private AllInOneLab _lab = null!;
    private SlowLink _link = null!;

    public async Task InitializeAsync()
    {
        await LabImage.MakeAsync(Path.Combine(_dir, "lab", "repository", "images"), "aula", ImageMiB, Path.Combine(_dir, "made"));
        AllInOneLab? started = null;
        // 3 MiB/s per download: the restore lasts several seconds, so the attack lands while it runs.
        _link = new SlowLink(() => started!.Repository.HttpUrl, 3L << 20);
        _lab = started = await AllInOneLab.StartAsync(new LabOptions
        {
            DataDir = Path.Combine(_dir, "lab"),
            Computers = 3,
            PartitionSize = 64 * LabOptions.MiB,
            PartitionsPerComputer = 1,
            CacheCapacity = 0,
            CommonHocon = TestPaths.Strict,
            ClientConfigurators = [JobRunnerSetup.Configurator(_ => _link.Url, announce: true)],
            ReadyTimeout = TimeSpan.FromSeconds(90),
        });
    }

    public async Task DisposeAsync()
    {
        if (_lab is not null) await _lab.StopAsync();
        if (_link is not null) await _link.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private Dictionary<string, string> Env => new() { ["OG_API"] = _lab.Coordinator.ApiUrl.ToString(), ["OG_TOKEN"] = _lab.Token };

    private Task<Ogctl.Result> Ctl(params string[] args) => Ogctl.RunAsync(Env, args);

    private System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate(string name, CertificateRole role)
    {
        var issued = _lab.Pki!.Issue(name, role);
        return PemFiles.ReadCertificateWithKey(issued.CertificatePath, issued.KeyPath, name);
    }

    private static JobSpec EvilRestore(string image) => new(SessionKind.Restore, JobRole.Single, image, 1, 1, "repo1", TransferMethod.Unicast,
        new MulticastSettings(9000, "239.194.0.1", DuplexMode.Full, 100, 0, 60), new P2PSettings(P2PMode.Peer, 60), "", null);

    [Fact]
    public async Task A_student_with_a_computer_certificate_who_names_a_coordinator_as_sender_cannot_make_a_computer_run_or_cancel_a_job()
    {
        // The real session: pc01 and pc02 restore the image (pc03 is the student's computer, in no session).
        (await Ctl("classroom", "define", "aula1", "--network", "10.37.0.0/24")).ExitCode.Should().Be(0);
        foreach (var (pc, i) in new[] { ("pc01", 1), ("pc02", 2) })
        {
            var mac = _lab.Manifest.Computers.Single(c => c.Name == pc).Mac;
            var added = await Ctl("classroom", "add-computer", "aula1", "--name", pc, "--ip", $"10.37.0.1{i}", "--mac", mac, "--repo", "repo1");
            added.ExitCode.Should().Be(0, added.Error);
        }
        await Eventually.Within(TimeSpan.FromSeconds(60), async () =>
            (await Ctl("repo", "images", "repo1", "--json")).Out.Contains("\"Ready\""), "the repository incorporates the image");
        var defined = await Ctl("image", "define", "--canonical", "aula", "--name", "Aula", "--profile", "test", "--partition", "1",
            "--type", "EXT4", "--repo", "repo1", "--comments", "job order attack");
        defined.ExitCode.Should().Be(0, defined.Error + defined.Out);
        Ogctl.Result restore = null!;
        await Eventually.Within(TimeSpan.FromSeconds(30), async () =>
        {
            restore = await Ctl("restore", "--scope", "aula1", "--partition", "1", "--image", "aula", "--method", "unicast", "--json");
            return restore.ExitCode == 0;
        }, "the restore is accepted once the image object is linked to its file");
        var id = JsonDocument.Parse(restore.Out).RootElement.GetProperty("id").GetString()!;
        await Eventually.Within(TimeSpan.FromSeconds(60), async () => (await Session(id)).GetProperty("jobs").EnumerateArray()
            .Any(j => j.GetProperty("computer").GetString() == "pc01" && j.GetProperty("bytes").GetInt64() > 0), "pc01's restore is under way");

        // The student: a plain ActorSystem with a computer certificate of the site, sending to pc01's job runner "from" the coordinator.
        var pc01 = _lab.Client("pc01")!;
        var log = WarningLog.On(pc01.System);
        var runner = new RootActorPath(pc01.Address) / "user" / JobRunnerSetup.ActorName;
        var coordinator = _lab.Coordinator.Cluster.SelfAddress;
        using var student = Intruder.Start(Certificate("pc-student", CertificateRole.Computer), presentCertificate: true);
        var forgedSender = ((ExtendedActorSystem)student).Provider.ResolveActorRef(new RootActorPath(coordinator) / "user" / "job-dispatcher");
        forgedSender.Path.Address.Should().Be(coordinator, "the sender the student names is the coordinator's job dispatcher");
        var evil = new TestProbe(student, new XunitAssertions());
        void Send(IJobOrder order) => student.ActorSelection(runner).Tell(order, forgedSender);

        var studentSigner = new JobOrderSigner(Certificate("pc-student", CertificateRole.Computer), TimeSpan.FromMinutes(5));
        // An order the coordinator signed for pc03, as a student who sat at pc03 could have kept it (the test signs it with the
        // coordinator's key, as its dispatcher does).
        var coordinatorSigner = new JobOrderSigner(Certificate("coordinator", CertificateRole.Server), TimeSpan.FromMinutes(5));
        var forPc03 = coordinatorSigner.Seal(new RunJob("evil-replayed", "pc03", EvilRestore("aula"), evil.Ref));
        var forPc01 = coordinatorSigner.Seal(new RunJob("evil-tampered", "pc01", EvilRestore("aula"), evil.Ref));

        Send(new RunJob("evil-unsigned", "pc01", EvilRestore("aula"), evil.Ref));
        Send(studentSigner.Seal(new RunJob("evil-computer-signed", "pc01", EvilRestore("aula"), evil.Ref)));
        Send(forPc03);
        Send(forPc03 with { SessionId = "evil-readdressed", Computer = "pc01" });
        Send(forPc01 with { Spec = EvilRestore("aula") with { Partition = 2, Repository = "repo-of-the-student" } });
        Send(new CancelJob(id, "pc01"));
        Send(studentSigner.Seal(new CancelJob(id, "pc01")));

        // The same through the job dispatcher, which signs what it sends: it takes only what a session signed for it.
        var coordinatorLog = WarningLog.On(_lab.Coordinator.System);
        // the singleton itself, by name: its manager has other children (a wildcard once resolved to one, "$a", that dropped the orders)
        var dispatcherRef = await _lab.Coordinator.System.ActorSelection($"/user/{JobDispatcher.Name}/{JobDispatcher.Name}").ResolveOne(TimeSpan.FromSeconds(10));
        var dispatcher = new RootActorPath(coordinator) / dispatcherRef.Path.Elements;
        void Hand(object order) => student.ActorSelection(dispatcher).Tell(order, forgedSender);
        Hand(new DispatchJob(new RunJob("evil-dispatch", "pc03", EvilRestore("aula"), evil.Ref)));
        Hand(new DispatchJob(studentSigner.Seal(new RunJob("evil-dispatch-signed", "pc03", EvilRestore("aula"), evil.Ref), audience: JobOrderAudience.Dispatcher)));
        Hand(new DispatchJob(forPc03));
        Hand(new CancelJob(id, "pc02"));
        Hand(new ReleaseComputer(id, "pc02")); // believed, pc02's next queued job would start while this one runs

        string[] Refusals() => [.. log.Lines.Where(l => l.StartsWith("Refused ") && l.Contains($" from {coordinator}: "))];
        await Eventually.Within(TimeSpan.FromSeconds(20), () => Task.FromResult(Refusals().Length >= 7), "pc01 logs a refusal for each of the 7 orders");
        var refusals = Refusals();
        refusals.Should().HaveCount(7, string.Join("\n", refusals));
        refusals.Should().ContainSingle(l => l.StartsWith("Refused RunJob of session evil-unsigned for pc01") &&
                                             l.EndsWith("it is not signed, and with og.tls on only job orders a coordinator signed are obeyed"));
        refusals.Should().ContainSingle(l => l.StartsWith("Refused RunJob of session evil-computer-signed for pc01") &&
                                             l.Contains("it is not signed by a coordinator: its certificate 'CN=pc-student, OU=computer, O=OgActors' is a computer certificate"));
        refusals.Should().ContainSingle(l => l.StartsWith("Refused RunJob of session evil-replayed for pc03") &&
                                             l.EndsWith("it is addressed to computer pc03, and this is pc01"));
        refusals.Should().ContainSingle(l => l.StartsWith("Refused RunJob of session evil-readdressed for pc01") && l.Contains("does not match its content"));
        refusals.Should().ContainSingle(l => l.StartsWith("Refused RunJob of session evil-tampered for pc01") && l.Contains("does not match its content"));
        refusals.Where(l => l.StartsWith($"Refused CancelJob of session {id} for pc01")).Should().HaveCount(2);

        string[] DispatcherRefusals() => [.. coordinatorLog.Lines.Where(l => l.StartsWith("Refused ") &&
            (l.Contains("evil-dispatch") || l.Contains("evil-replayed") || l.Contains($"of session {id} for pc02")))];
        await Eventually.Within(TimeSpan.FromSeconds(20), () => Task.FromResult(DispatcherRefusals().Length >= 5), () => $"the dispatcher {dispatcher} logs a refusal for each of the 5 orders; it logged: {string.Join("\n", coordinatorLog.Lines)}");
        var atDispatcher = DispatcherRefusals();
        atDispatcher.Should().HaveCount(5, string.Join("\n", atDispatcher));
        atDispatcher.Should().ContainSingle(l => l.StartsWith("Refused RunJob of session evil-dispatch for pc03") && l.EndsWith("it is not signed, and with og.tls on only job orders a coordinator signed are obeyed"));
        atDispatcher.Should().ContainSingle(l => l.StartsWith("Refused RunJob of session evil-dispatch-signed for pc03") && l.Contains("is a computer certificate"));
        atDispatcher.Should().ContainSingle(l => l.StartsWith("Refused RunJob of session evil-replayed for pc03") && l.EndsWith("it is signed as an order for a computer, not for the job dispatcher"));
        atDispatcher.Should().ContainSingle(l => l.StartsWith($"Refused CancelJob of session {id} for pc02") && l.Contains("it is not signed"));
        atDispatcher.Should().ContainSingle(l => l.StartsWith($"Refused ReleaseComputer of session {id} for pc02") && l.Contains("it is not signed"));

        // Nothing answered the student; nothing of theirs ran; the real session goes on to succeed on both computers.
        evil.ExpectNoMsg(TimeSpan.FromSeconds(1));
        JsonElement session = default;
        await Eventually.Within(TimeSpan.FromSeconds(120), async () =>
            (session = await Session(id)).GetProperty("outcome").ValueKind != JsonValueKind.Null, $"session {id} ends");
        session.GetProperty("outcome").GetString().Should().Be("Succeeded", session.ToString());
        foreach (var pc in new[] { "pc01", "pc02", "pc03" })
        {
            var jobs = await Jobs(pc);
            jobs.Running.Should().BeNull();
            jobs.Queued.Should().BeEmpty();
            jobs.Finished.Select(f => f.SessionId).Should().Equal(pc == "pc03" ? Array.Empty<string>() : [id], $"{pc} ran only the real session's job");
        }
        foreach (var pc in new[] { "pc01", "pc02" })
            (await LabImage.Tool("debugfs", "-R", "ls -l /", _lab.ComputerFiles[pc].Partitions[0].File)).Should().Contain("blob.bin");
        evil.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    private async Task<JobRunnerActor.Jobs> Jobs(string pc) => await _lab.Client(pc)!.System.ActorSelection("/user/" + JobRunnerSetup.ActorName)
        .Ask<JobRunnerActor.Jobs>(new JobRunnerActor.GetJobs(), TimeSpan.FromSeconds(5));

    private async Task<JsonElement> Session(string id)
    {
        var shown = await Ctl("session", "show", id, "--json");
        shown.ExitCode.Should().Be(0, shown.Error);
        return JsonDocument.Parse(shown.Out).RootElement.Clone();
    }
}
