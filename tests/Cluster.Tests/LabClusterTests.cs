using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Akka.Actor;
using OgActors.Cluster.Tests.Support;
using OgActors.Coordinator.Api;
using OgActors.Messages.Computers;

namespace OgActors.Cluster.Tests;

/// <summary>
/// The walking skeleton end to end, in one process: a coordinator and a repository form a cluster, three client nodes
/// register through ClusterClient, and the registry follows them as they stop, vanish and come back.
/// </summary>
public sealed class LabClusterTests(LabFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<LabFixture>
{
    private static readonly TimeSpan OfflineDeadline = TimeSpan.FromSeconds(10);
    private readonly Lab.AllInOneLab _lab = fixture.Lab;

    [Fact]
    public void Coordinator_and_repository_form_a_cluster_with_their_roles()
    {
        var view = ClusterApi.View(_lab.Coordinator.Cluster);
        view.Members.Should().HaveCount(2).And.OnlyContain(m => m.Status == "Up" && m.Reachability == "reachable");
        view.Members.Single(m => m.Self).Roles.Should().Equal("coordinator");
        view.Members.Single(m => !m.Self).Roles.Should().Equal("repository");
        view.Members.Single(m => !m.Self).Address.Should().Be(_lab.Repository.Cluster.SelfAddress.ToString());
    }

    [Fact]
    public void The_split_brain_resolver_is_keep_oldest_on_coordinators_downing_an_oldest_coordinator_left_alone_without_down_all()
    {
        foreach (var system in new[] { _lab.Coordinator.System, _lab.Repository.System })
        {
            var config = system.Settings.Config;
            config.GetString("akka.cluster.downing-provider-class").Should().Contain("SplitBrainResolverProvider");
            config.GetString("akka.cluster.split-brain-resolver.active-strategy").Should().Be("keep-oldest");
            config.GetString("akka.cluster.split-brain-resolver.keep-oldest.role").Should().Be("coordinator");
            config.GetBoolean("akka.cluster.split-brain-resolver.keep-oldest.down-if-alone").Should().BeTrue(
                "with several coordinators, the crash of the oldest must not down the others (issue 16)");
            config.GetString("akka.cluster.split-brain-resolver.down-all-when-unstable").Should().Be("off");
        }
    }

    [Fact]
    public async Task Three_computers_register_through_cluster_client_and_are_not_members()
    {
        var computers = await _lab.ComputersAsync();
        computers.Select(c => c.Name).Should().Equal("pc01", "pc02", "pc03");
        computers.Should().OnlyContain(c => c.Online);
        foreach (var c in computers)
        {
            var client = _lab.Client(c.Name)!;
            c.Agent.Path.Address.Should().Be(client.Address, "the registry keeps the agent's own reference, reachable over remoting");
            c.Agent.Path.Name.Should().Be(ComputerRegistryPaths.AgentName);
            c.Inventory.Partitions.Select(p => (p.Number, p.SizeBytes)).Should().Equal((1, 8L << 20), (2, 8L << 20));
            c.Inventory.Cache.CapacityBytes.Should().Be(64L << 20);
            c.Inventory.Mac.Should().MatchRegex("^([0-9a-f]{2}:){5}[0-9a-f]{2}$");
            _lab.Coordinator.Cluster.State.Members.Should().NotContain(m => m.Address.Equals(client.Address));
        }
        computers.Select(c => c.Inventory.Mac).Should().OnlyHaveUniqueItems();

        // The agent answers at its well-known path, so later protocols can send it jobs.
        var identity = await _lab.Coordinator.System.ActorSelection(computers[0].Agent.Path).Ask<ActorIdentity>(new Identify(1), TimeSpan.FromSeconds(5));
        identity.Subject.Should().Be(computers[0].Agent);
    }

    [Fact]
    public async Task A_clean_stop_marks_the_computer_offline_at_once_and_a_restart_online_again()
    {
        var before = (await _lab.ComputersAsync()).Single(c => c.Name == "pc02");
        var clock = Stopwatch.StartNew();
        await _lab.StopComputerAsync("pc02");
        var status = (await _lab.ComputersAsync()).Single(c => c.Name == "pc02");
        status.Online.Should().BeFalse("a clean shutdown unregisters before remoting stops");
        status.OfflineReason.Should().Be("shut down");
        status.Since.Should().BeAfter(before.Since);
        clock.Elapsed.Should().BeLessThan(OfflineDeadline);

        output.WriteLine($"clean stop noticed after {clock.Elapsed.TotalSeconds:0.0} s");
        await _lab.StartComputerAsync("pc02");
        await Eventually.Within(TimeSpan.FromSeconds(15), async () => (await _lab.ComputersAsync()).Single(c => c.Name == "pc02").Online,
            "pc02 online again after its restart");
        (await _lab.ComputersAsync()).Should().HaveCount(3).And.OnlyContain(c => c.Online);
    }

    [Fact]
    public async Task A_computer_that_vanishes_goes_offline_within_10_s_while_the_cluster_keeps_running()
    {
        await _lab.StopComputerAsync("pc03", unregister: false); // power cut: no goodbye
        var took = await Eventually.Within(OfflineDeadline, async () => !(await _lab.ComputersAsync()).Single(c => c.Name == "pc03").Online,
            "pc03 offline after its power cut");
        (await _lab.ComputersAsync()).Single(c => c.Name == "pc03").OfflineReason.Should().BeOneOf("unreachable", "agent stopped");
        took.Should().BeLessThan(OfflineDeadline);
        output.WriteLine($"power cut noticed after {took.TotalSeconds:0.0} s");

        ClusterApi.View(_lab.Coordinator.Cluster).Members.Should().HaveCount(2).And.OnlyContain(m => m.Status == "Up" && m.Reachability == "reachable");
        (await _lab.ComputersAsync()).Where(c => c.Name != "pc03").Should().OnlyContain(c => c.Online);

        await _lab.StartComputerAsync("pc03");
        await Eventually.Within(TimeSpan.FromSeconds(15), async () => (await _lab.ComputersAsync()).Single(c => c.Name == "pc03").Online,
            "pc03 online again after it came back");
    }

    [Fact]
    public async Task A_killed_client_process_goes_offline_within_10_s_and_online_again_when_restarted()
    {
        var dll = Path.Combine(TestPaths.Root(), "artifacts", "bin", "OgActors.ClientNode", "release", "og-client.dll");
        File.Exists(dll).Should().BeTrue($"{dll} is built with the solution");
        var dataDir = Path.Combine(fixture.DataDir, "process-client");
        var partition = Path.Combine(dataDir, "part1.img");
        Directory.CreateDirectory(dataDir);
        await using (var f = File.Create(partition)) f.SetLength(4 << 20);

        Process Start() => Process.Start(new ProcessStartInfo("dotnet",
        [
            dll, "--hostname", "127.0.0.1", "--port", "0", "--data", dataDir, "--name", "pc-proc",
            "--seed", _lab.Coordinator.Cluster.SelfAddress.ToString(), "--partition", $"1={partition}",
            "--mac", "02:0a:c7:00:99:01", "--ip", "127.0.0.1", "--set", "akka.loglevel=WARNING",
            .. _lab.Pki?.Arguments("pc-proc", OgActors.Pki.CertificateRole.Computer) ?? [],
        ]) { RedirectStandardOutput = true, RedirectStandardError = true })!;

        async Task<ComputerStatus?> Status() => (await _lab.ComputersAsync()).SingleOrDefault(c => c.Name == "pc-proc");

        var process = Start();
        try
        {
            await Eventually.Within(TimeSpan.FromSeconds(30), async () => (await Status())?.Online == true, "the og-client process registers");
            (await Status())!.Inventory.Partitions.Should().ContainSingle().Which.SizeBytes.Should().Be(4 << 20);

            process.Kill(entireProcessTree: true); // SIGKILL: no unregistration, no goodbye on the wire
            await process.WaitForExitAsync();
            var took = await Eventually.Within(OfflineDeadline, async () => (await Status())?.Online == false, "pc-proc offline after SIGKILL");
            took.Should().BeLessThan(OfflineDeadline);
            output.WriteLine($"SIGKILL noticed after {took.TotalSeconds:0.0} s");
            ClusterApi.View(_lab.Coordinator.Cluster).Members.Should().OnlyContain(m => m.Status == "Up");

            process = Start();
            await Eventually.Within(TimeSpan.FromSeconds(30), async () => (await Status())?.Online == true, "pc-proc online again after restart");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Theory]
    [InlineData(null, "bearer token")]
    [InlineData("Bearer wrong-token", "token is wrong")]
    [InlineData("Basic abc", "Bearer TOKEN")]
    public async Task The_api_refuses_a_missing_or_wrong_token_with_a_clear_json_error(string? authorization, string sentence)
    {
        using var http = new HttpClient { BaseAddress = _lab.Coordinator.ApiUrl };
        var request = new HttpRequestMessage(HttpMethod.Get, "api/computers");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("error").GetString().Should().Contain(sentence);

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _lab.Token);
        (await http.GetAsync("api/computers")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ogctl_shows_the_cluster_and_the_computers_from_the_labs_lab_json()
    {
        var env = new Dictionary<string, string> { ["OG_LAB"] = fixture.DataDir };

        var cluster = await Ogctl.RunAsync(env, "cluster", "show", "--json");
        cluster.ExitCode.Should().Be(0, cluster.Error);
        using (var json = JsonDocument.Parse(cluster.Out))
        {
            var members = json.RootElement.GetProperty("members").EnumerateArray().ToList();
            members.Select(m => m.GetProperty("address").GetString()).Should().BeEquivalentTo(
                [_lab.Coordinator.Cluster.SelfAddress.ToString(), _lab.Repository.Cluster.SelfAddress.ToString()]);
            members.Select(m => m.GetProperty("roles")[0].GetString()).Should().BeEquivalentTo(["coordinator", "repository"]);
        }

        var table = await Ogctl.RunAsync(env, "cluster", "show");
        table.ExitCode.Should().Be(0, table.Error);
        table.Out.Should().Contain(_lab.Repository.Cluster.SelfAddress.ToString()).And.Contain("repository").And.Contain("Up").And.Contain("reachable");

        await Eventually.Within(TimeSpan.FromSeconds(15), async () => (await _lab.ComputersAsync()).All(c => c.Online), "all computers online");
        var list = await Ogctl.RunAsync(env, "computer", "list", "--json");
        list.ExitCode.Should().Be(0, list.Error);
        using (var json = JsonDocument.Parse(list.Out))
        {
            var computers = json.RootElement.EnumerateArray().ToList();
            computers.Select(c => c.GetProperty("name").GetString()).Should().Contain(["pc01", "pc02", "pc03"]);
            computers.Where(c => c.GetProperty("name").GetString()!.StartsWith("pc0"))
                .Should().OnlyContain(c => c.GetProperty("online").GetBoolean() && c.GetProperty("ip").GetString() == "127.0.0.1");
        }

        var people = await Ogctl.RunAsync(env, "computer", "list");
        people.ExitCode.Should().Be(0, people.Error);
        people.Out.Should().Contain("pc01").And.Contain("02:0a:c7:00:00:01").And.Contain("online");
    }

    [Fact]
    public async Task Computer_show_warns_when_the_classroom_records_another_mac_or_cache_size_than_the_computer_reports()
    {
        var env = new Dictionary<string, string> { ["OG_LAB"] = fixture.DataDir };
        await Eventually.Within(TimeSpan.FromSeconds(15), async () => (await _lab.ComputersAsync()).Any(c => c.Name == "pc03" && c.Online), "pc03 online");
        (await Ogctl.RunAsync(env, "classroom", "define", "mismatch", "--network", "127.0.0.0/24")).ExitCode.Should().Be(0);
        var add = await Ogctl.RunAsync(env, "classroom", "add-computer", "mismatch", "--name", "pc03", "--ip", "127.0.0.1",
            "--mac", "02:0a:c7:00:00:99", "--cache-size", "7GiB");
        add.ExitCode.Should().Be(0, add.Error);

        var show = await Ogctl.RunAsync(env, "computer", "show", "pc03", "--json");
        show.ExitCode.Should().Be(0, show.Error);
        using var json = JsonDocument.Parse(show.Out);
        var warnings = json.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        warnings.Should().HaveCount(2);
        warnings[0].Should().StartWith("Classroom mismatch records MAC 02:0a:c7:00:00:99 for pc03, but the computer reports ");
        warnings[1].Should().StartWith("Classroom mismatch records a cache of 7 GiB for pc03, but the computer reports ").And.EndWith("the computer's own cache decides.");
        (await Ogctl.RunAsync(env, "computer", "show", "pc03")).Out.Should().Contain("warning:").And.Contain("records MAC 02:0a:c7:00:00:99");
    }

    [Fact]
    public async Task Cluster_operations_that_would_wedge_the_cluster_are_refused_without_force()
    {
        var env = new Dictionary<string, string> { ["OG_LAB"] = fixture.DataDir };
        var repository = _lab.Repository.Cluster.SelfAddress.ToString();
        var coordinator = _lab.Coordinator.Cluster.SelfAddress.ToString();

        var downReachable = await Ogctl.RunAsync(env, "cluster", "down", repository);
        downReachable.ExitCode.Should().Be(1);
        downReachable.Error.Should().Contain("is reachable").And.Contain("--force");
        var downLastCoordinator = await Ogctl.RunAsync(env, "cluster", "down", coordinator);
        downLastCoordinator.ExitCode.Should().Be(1);
        downLastCoordinator.Error.Should().Contain("last coordinator");
        var leaveLastCoordinator = await Ogctl.RunAsync(env, "cluster", "leave", coordinator);
        leaveLastCoordinator.ExitCode.Should().Be(1);
        leaveLastCoordinator.Error.Should().Contain("last coordinator");
        new[] { downReachable, downLastCoordinator, leaveLastCoordinator }.Should().OnlyContain(r => r.Error.Trim().Split('\n').Length == 1);

        await Task.Delay(TimeSpan.FromSeconds(1));
        Akka.Cluster.Cluster.Get(_lab.Coordinator.System).State.Members.Select(m => m.Address.ToString())
            .Should().BeEquivalentTo([coordinator, repository], "a refused operation changes nothing");
        Akka.Cluster.Cluster.Get(_lab.Coordinator.System).State.Members.Should().OnlyContain(m => m.Status == Akka.Cluster.MemberStatus.Up);
    }

    [Fact]
    public async Task Ogctl_says_in_one_sentence_what_is_wrong()
    {
        var lab = new Dictionary<string, string> { ["OG_LAB"] = fixture.DataDir };

        var badToken = await Ogctl.RunAsync(lab, "computer", "list", "--token", "wrong");
        badToken.ExitCode.Should().Be(3);
        badToken.Error.Trim().Should().Be("ogctl: The coordinator refused the token (from --token): The API token is wrong.");

        var unreachable = await Ogctl.RunAsync(new Dictionary<string, string> { ["OG_API"] = "http://127.0.0.1:9", ["OG_TOKEN"] = "x" }, "cluster", "show");
        unreachable.ExitCode.Should().Be(1);
        unreachable.Error.Should().StartWith("ogctl: Cannot reach the coordinator API at http://127.0.0.1:9/").And.NotContain("   at ");

        var nothing = await Ogctl.RunAsync(new Dictionary<string, string>(), "computer", "list");
        nothing.ExitCode.Should().Be(2);
        nothing.Error.Should().StartWith("ogctl: No API to talk to");

        var unknownMember = await Ogctl.RunAsync(lab, "cluster", "down", "10.9.9.9:4053");
        unknownMember.ExitCode.Should().Be(1);
        unknownMember.Error.Should().Contain("No cluster member has the address '10.9.9.9:4053'");

        var badCommand = await Ogctl.RunAsync(lab, "computer", "frobnicate");
        badCommand.ExitCode.Should().Be(2);
        badCommand.Error.Should().Contain("frobnicate").And.Contain("ogctl --help");

        new[] { badToken, unreachable, nothing, unknownMember, badCommand }.Should().OnlyContain(r => r.Error.Trim().Split('\n').Length == 1);
    }
}
