using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OgActors.ClientNode.Hosting;
using OgActors.Cluster.Tests.Support;
using OgActors.Coordinator.Computers;
using OgActors.Coordinator.Hosting;
using OgActors.Hosting.Configuration;
using OgActors.Messages.Computers;
using static OgActors.Hosting.Configuration.OgConfiguration;

namespace OgActors.Cluster.Tests;

/// <summary>
/// Attack: a student's machine (a real og-client on 127.0.0.2) registers under the name of computer pc01, which is online from
/// 127.0.0.1. The registry refuses it (the registration is bound to the address pc01 is at), audits the refusal, and pc01's
/// registration — the agent jobs go to — is unaffected.
/// </summary>
public sealed class RegistrationAttackTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("og-reg-attack-").FullName;
    private readonly List<IAsyncDisposable> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in Enumerable.Reverse(_nodes)) await node.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private async Task<ClientNodeHost> StartClient(string dirName, string name, string host, string seed)
    {
        var dataDir = Path.Combine(_dir, dirName);
        Directory.CreateDirectory(dataDir);
        var partition = Path.Combine(dataDir, "part1.img");
        await using (var f = File.Create(partition)) f.SetLength(1L << 20);
        var client = await ClientNodeHost.StartAsync(Build(NodeRole.Client, null, $$"""
            og.tls.enabled = off # a student holds the site's computer certificate anyway: the binding under test is per message
            og.node { hostname = "{{host}}", port = 0, data-dir = {{Quote(dataDir)}} }
            og.cluster.seed-nodes = [{{Quote(seed)}}]
            og.computer { name = {{name}}, mac = "02:00:00:00:00:01", ip = "{{host}}", register-retry = 1s
                          partitions = [{ number = 1, device = {{Quote(partition)}} }] }
            """, TestPaths.Strict));
        _nodes.Add(client);
        return client;
    }

    [Fact]
    public async Task A_registration_as_another_computer_from_another_address_is_refused_and_audited()
    {
        var coordinator = await CoordinatorNode.StartAsync(Build(NodeRole.Coordinator, null, $$"""
            og.tls.enabled = off
            og.node { hostname = "127.0.0.1", port = 0, data-dir = {{Quote(Path.Combine(_dir, "coordinator"))}} }
            og.cluster.seed-nodes = []
            og.coordinator.api { url = "http://127.0.0.1:0", token = "attack-test-token" }
            """, "akka.loglevel = WARNING"), CoordinatorModules.Default);
        _nodes.Add(coordinator);
        await coordinator.WaitUntilUpAsync(TimeSpan.FromSeconds(60));
        var seed = coordinator.Cluster.SelfAddress.ToString();
        var registry = coordinator.App.Services.GetRequiredService<IRequiredActor<ComputerRegistry>>().ActorRef;

        var pc01 = await StartClient("pc01", "pc01", "127.0.0.1", seed);
        ComputerStatus? status = null;
        await Until(async () => (status = await Status(registry, "pc01")) is { Online: true });
        status!.Agent.Path.Address.Should().Be(pc01.Address);

        await StartClient("intruder", "pc01", "127.0.0.2", seed); // registers as pc01, every second
        using var api = new HttpClient { BaseAddress = coordinator.ApiUrl };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "attack-test-token");
        JsonElement[] refused = [];
        await Until(async () =>
        {
            refused = [.. (await api.GetFromJsonAsync<JsonElement[]>("api/audit?computer=pc01"))!
                .Where(e => e.GetProperty("action").GetString() == "registration refused")];
            return refused.Length > 0;
        });
        refused.Should().ContainSingle("a retrying intruder is audited once per 10 minutes, and logged every time");
        refused[0].GetProperty("details").GetString().Should()
            .StartWith("from akka.tcp://ogactors@127.0.0.2:").And.Contain("Computer pc01 is online at 127.0.0.1; a registration under its name from 127.0.0.2 is refused.");
        refused[0].GetProperty("by").GetString().Should().StartWith("agent at akka.tcp://ogactors@127.0.0.2:");

        await Task.Delay(TimeSpan.FromSeconds(3)); // several more attempts
        status = (await Status(registry, "pc01"))!;
        status.Online.Should().BeTrue();
        status.Agent.Path.Address.Should().Be(pc01.Address, "pc01's jobs still go to pc01");
        status.Inventory.Ip.Should().Be("127.0.0.1", "the intruder's inventory was not recorded");
    }

    private static async Task<ComputerStatus?> Status(IActorRef registry, string name) =>
        await registry.Ask<object>(new GetComputer(name), TimeSpan.FromSeconds(10)) as ComputerStatus;

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not hold within 60 s.");
            await Task.Delay(250);
        }
    }
}
