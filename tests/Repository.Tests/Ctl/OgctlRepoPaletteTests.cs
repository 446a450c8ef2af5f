using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OgActors.Coordinator.Api;
using OgActors.Coordinator.Repositories;
using OgActors.Messages.Repositories;
using OgActors.Repository.Tests.Support;

namespace OgActors.Repository.Tests.Ctl;

/// <summary>
/// The whole operator path for real: ogctl's repo/image commands → the coordinator's repository API (Kestrel)
/// → the registry actor → DistributedPubSub → the repository node, and back.
/// </summary>
public sealed class OgctlRepoPaletteTests : RepositoryTestBase
{
    private WebApplication? _api;
    private string _apiUrl = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var registryActor = Sys.ActorOf(RepositoryRegistryActor.Props(Mediator, TimeSpan.FromSeconds(60)), "repositories");
        var registry = ActorRegistry.For(Sys);
        registry.Register<RepositoryRegistryActor>(registryActor);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton<IRequiredActor<RepositoryRegistryActor>>(new RequiredActor<RepositoryRegistryActor>(registry));
        _api = builder.Build();
        _api.MapGroup("/api").MapRepositoryApi();
        await _api.StartAsync();
        _apiUrl = _api.Urls.First() + "/";
    }

    public override async Task DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>The real ogctl entry point, on the test's API (stdout then stderr).</summary>
    private async Task<(int Exit, string Output)> OgctlAsync(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var env = new OgActors.Ctl.Api.CtlEnvironment(_ => null, Scratch, output, error, Interactive: false);
        var exit = await OgActors.Ctl.CtlApp.RunAsync(["--api", _apiUrl, "--token", "test", .. args], env);
        return (exit, output.ToString() + error.ToString());
    }

    private async Task<string> WaitForOutputAsync(Func<string, bool> condition, params string[] args)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            (_, last) = await OgctlAsync(args);
            if (condition(last)) return last;
            await Task.Delay(200);
        }
        throw new TimeoutException($"ogctl {string.Join(' ', args)} never showed what was expected; last output:\n{last}");
    }

    [Fact]
    public async Task Repo_list_and_repo_images_show_an_arrival_with_its_sums()
    {
        var list = await WaitForOutputAsync(o => o.Contains("repo-test"), "repo", "list");
        list.Should().Contain(BaseUrl).And.Contain("online").And.Contain("GiB");

        var image = ArriveByRename(TestImages.Lzop(1), "win10");
        var available = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "win10");

        var table = await WaitForOutputAsync(o => o.Contains("ready"), "repo", "images", "repo-test");
        table.Should().Contain("win10").And.Contain("PARTCLONE:LZOP:EXTFS:").And.Contain(available.FullSum).And.Contain(available.Sum);

        var (exit, json) = await OgctlAsync("repo", "images", "repo-test", "--json");
        exit.Should().Be(0);
        var images = JsonDocument.Parse(json).RootElement;
        images[0].GetProperty("canonicalName").GetString().Should().Be("win10");
        images[0].GetProperty("state").GetString().Should().Be("Ready");
        images[0].GetProperty("size").GetInt64().Should().Be(new FileInfo(image).Length);
    }

    [Fact]
    public async Task Image_import_prints_the_names_and_image_delete_keeps_the_backup()
    {
        await WaitForOutputAsync(o => o.Contains("repo-test"), "repo", "list");
        var dir = Directory.CreateDirectory(Path.Combine(Scratch, "fogimg")).FullName;
        File.WriteAllText(Path.Combine(dir, "d1.partitions"), "label: dos\n/dev/sda1 : start=2048, size=24576, type=83\n");
        File.Copy(TestImages.Gzip(2), Path.Combine(dir, "d1p1.img"));

        var (exit, output) = await OgctlAsync("image", "import", dir);
        exit.Should().Be(0, output);
        output.Should().Contain("fogimg-d1p1").And.Contain("PARTCLONE:GZIP:EXTFS:");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "fogimg-d1p1");
        await WaitForOutputAsync(o => o.Contains("fogimg-d1p1") && o.Contains("ready"), "repo", "images", "repo-test");

        (exit, output) = await OgctlAsync("image", "delete", "fogimg-d1p1", "--repo", "repo-test");
        exit.Should().Be(0, output);
        output.Should().Contain(".img.ant");
        File.Exists(Path.Combine(ImagesDirectory, "fogimg-d1p1.img.ant")).Should().BeTrue();

        (exit, output) = await OgctlAsync("image", "delete", "fogimg-d1p1", "--repo", "repo-test");
        exit.Should().Be(1);
        output.Should().MatchRegex("(has no image|No online repository holds image) fogimg-d1p1");

        (exit, output) = await OgctlAsync("repo", "images", "nowhere");
        exit.Should().Be(1);
        output.Should().Contain("There is no repository named nowhere");
    }
}
