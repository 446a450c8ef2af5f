using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace OgActors.EndToEnd.Tests;

/// <summary>
/// A real og-coordinator and og-repository process: downing the repository (forced: it is reachable) ends its process
/// with a non-zero exit and one sentence, so systemd restarts it, and its HTTP service no longer answers. Before that,
/// the repository is listed by the coordinator within 2 s of joining.
/// </summary>
public sealed class NodeRemovalTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("og-e2e-removal-").FullName;
    private readonly List<RealProcess> _processes = [];

    [Fact]
    public async Task A_joining_repository_is_listed_at_once_and_once_downed_its_process_exits_non_zero_and_stops_serving()
    {
        int coordinatorPort = FreePort(), repositoryPort = FreePort(), apiPort = FreePort(), httpPort = FreePort();
        const string token = "node-removal-test-token";
        // Real processes as in a real installation: mutual TLS with certificates of a site CA (the lab's kind, throwaway).
        var pki = OgActors.Lab.LabPki.Create(_data);
        var coordinator = Start(RealProcess.Binary("OgActors.Coordinator", "og-coordinator"),
            ["--hostname", "127.0.0.1", "--port", $"{coordinatorPort}", "--data", Path.Combine(_data, "coordinator"),
             "--api-url", $"http://127.0.0.1:{apiPort}", "--token", token, .. pki.Arguments("coordinator", OgActors.Pki.CertificateRole.Server)]);
        var repository = Start(RealProcess.Binary("OgActors.RepositoryNode", "og-repository"),
            ["--hostname", "127.0.0.1", "--port", $"{repositoryPort}", "--seed", $"akka.tcp://ogactors@127.0.0.1:{coordinatorPort}",
             "--data", Path.Combine(_data, "repository"), "--name", "repo1", "--images", Path.Combine(_data, "images"),
             "--http-url", $"http://127.0.0.1:{httpPort}", .. pki.Arguments("repo1", OgActors.Pki.CertificateRole.Server)]);

        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/"), Timeout = TimeSpan.FromSeconds(10) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await BothUpAsync(api))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"both nodes come up; coordinator:\n{coordinator.Output}\nrepository:\n{repository.Output}");
            await Task.Delay(500);
        }
        // The repository is in the registry (`ogctl repo list`) within 2 s of being up, not only after the 30 s periodic announcement.
        var up = DateTime.UtcNow;
        while (!(await api.GetStringAsync("api/repositories")).Contains("\"repo1\""))
        {
            (DateTime.UtcNow - up).Should().BeLessThan(TimeSpan.FromSeconds(2), "a repository is listed within 2 s of joining");
            await Task.Delay(100);
        }

        using var web = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        (await web.GetAsync($"http://127.0.0.1:{httpPort}/images/none.img")).StatusCode.Should().Be(HttpStatusCode.NotFound, "the repository serves");

        var refused = await api.PostAsJsonAsync("api/cluster/down", new { address = $"127.0.0.1:{repositoryPort}" });
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict, "a reachable member is not downed without --force");
        var forced = await api.PostAsJsonAsync("api/cluster/down", new { address = $"127.0.0.1:{repositoryPort}", force = true });
        forced.StatusCode.Should().Be(HttpStatusCode.Accepted);

        var exit = await repository.WaitForExitAsync(TimeSpan.FromSeconds(60));
        exit.Should().NotBe(0, $"a downed node exits non-zero so its service manager restarts it; output:\n{repository.Output}");
        repository.Output.Should().Contain("og-repository: the node was downed and removed from the cluster").And.NotContain("   at ");
        var afterwards = async () => await web.GetAsync($"http://127.0.0.1:{httpPort}/images/none.img");
        await afterwards.Should().ThrowAsync<HttpRequestException>("a repository that left keeps no HTTP service running");
        coordinator.HasExited.Should().BeFalse("the coordinator is unaffected");
    }

    private RealProcess Start(string dll, string[] args)
    {
        var process = RealProcess.Start(dll, args, new Dictionary<string, string> { ["OG_LOG_LEVEL"] = "Warning" });
        _processes.Add(process);
        return process;
    }

    private static async Task<bool> BothUpAsync(HttpClient api)
    {
        try
        {
            using var json = JsonDocument.Parse(await api.GetStringAsync("api/cluster"));
            var members = json.RootElement.GetProperty("members").EnumerateArray().ToList();
            return members.Count == 2 && members.All(m => m.GetProperty("status").GetString() == "Up");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException) { return false; }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var process in _processes) await process.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
