using System.Net.Http.Headers;
using System.Text.Json;
using OgActors.Coordinator.Hosting;
using OgActors.Coordinator.Repositories;
using OgActors.Hosting.Configuration;
using OgActors.Repository.Tests.Support;
using OgActors.RepositoryNode;
using OgActors.RepositoryNode.Hosting;

namespace OgActors.Repository.Tests.Hosts;

/// <summary>
/// The modules in the real hosts: a coordinator node (SQLite journal, operator API with its token) with
/// <see cref="RepositoryRegistryModule"/>, a repository node with <see cref="RepositoryNodeModule"/> on port 0; a file
/// renamed into the images directory shows up ready, with its sums, through the coordinator's API, and is served
/// at the address the repository announced.
/// </summary>
public sealed class RealHostsTests : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("og-repo-hosts-").FullName;
    private CoordinatorNode _coordinator = null!;
    private RepositoryNodeHost _repository = null!;

    private static string Quote(string s) => JsonSerializer.Serialize(s);

    public async Task InitializeAsync()
    {
        const string strict = "akka.actor.serialize-messages = on\nakka.loglevel = WARNING";
        _coordinator = await CoordinatorNode.StartAsync(OgConfiguration.Build(NodeRole.Coordinator, null, $$"""
            og.node { hostname = "127.0.0.1", port = 0, data-dir = {{Quote(Path.Combine(_dataDir, "coordinator"))}} }
            og.tls.enabled = off
            og.cluster.seed-nodes = []
            og.coordinator.api { url = "http://127.0.0.1:0", token = "test-token" }
            """, strict), CoordinatorModules.Default);
        _repository = await RepositoryNodeHost.StartAsync(OgConfiguration.Build(NodeRole.Repository, null, $$"""
            og.node { hostname = "127.0.0.1", port = 0, data-dir = {{Quote(Path.Combine(_dataDir, "repository"))}} }
            og.tls.enabled = off
            og.cluster.seed-nodes = [{{Quote(_coordinator.Cluster.SelfAddress.ToString())}}]
            og.repository { name = "repo1", images-dir = {{Quote(Path.Combine(_dataDir, "images"))}}, http-url = "http://127.0.0.1:0", settle-time = 300ms }
            """, strict), RepositoryModules.Default);
        await _repository.WaitUntilUpAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await _repository.DisposeAsync();
        await _coordinator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_file_renamed_into_the_images_directory_shows_up_ready_through_the_coordinator_API()
    {
        var images = _repository.Settings.ImagesDir;
        File.Copy(TestImages.Lzop(1), Path.Combine(images, "demo.img.copying"));
        File.Move(Path.Combine(images, "demo.img.copying"), Path.Combine(images, "demo.img"));

        using var api = new HttpClient { BaseAddress = _coordinator.ApiUrl };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "test-token");
        JsonElement image = default;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var response = await api.GetAsync("/api/repositories/repo1/images");
            if (response.IsSuccessStatusCode)
            {
                var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                if (list.GetArrayLength() == 1 && list[0].GetProperty("state").GetString() == "Ready") { image = list[0]; break; }
            }
            await Task.Delay(200);
        }
        image.ValueKind.Should().Be(JsonValueKind.Object, "demo.img should become ready within seconds");
        image.GetProperty("fullSum").GetString().Should().Be(Tool.Md5Sum(Path.Combine(images, "demo.img")));

        var repositories = JsonDocument.Parse(await api.GetStringAsync("/api/repositories")).RootElement;
        var address = repositories[0].GetProperty("httpAddress").GetString()!;
        address.Should().Be(_repository.HttpUrl.ToString().TrimEnd('/'), "the repository announces the address it is bound to");
        using var unicast = new HttpClient { BaseAddress = new Uri(address) };
        (await unicast.GetByteArrayAsync("/images/demo.img")).Should().Equal(await File.ReadAllBytesAsync(TestImages.Lzop(1)));

        // ogctl as the lead wires it: CtlApp with the repository palette, API and token from the command line.
        var output = new StringWriter();
        var env = new OgActors.Ctl.Api.CtlEnvironment(_ => null, _dataDir, output, new StringWriter(), Interactive: false);
        var exit = await OgActors.Ctl.CtlApp.RunAsync(
            ["repo", "images", "repo1", "--api", _coordinator.ApiUrl.ToString(), "--token", "test-token", "--json"], env,
            OgActors.Ctl.CtlApp.Palettes);
        exit.Should().Be(0, output.ToString());
        JsonDocument.Parse(output.ToString()).RootElement[0].GetProperty("canonicalName").GetString().Should().Be("demo");

        (await new HttpClient { BaseAddress = _coordinator.ApiUrl }.GetAsync("/api/repositories")).StatusCode
            .Should().Be(System.Net.HttpStatusCode.Unauthorized, "the repository API sits behind the operator token");
    }
}
