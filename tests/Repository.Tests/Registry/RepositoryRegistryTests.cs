using Akka.Actor;
using OgActors.Coordinator.Repositories;
using OgActors.Messages.Common;
using OgActors.Messages.Repositories;
using OgActors.Repository.Tests.Support;

namespace OgActors.Repository.Tests.Registry;

/// <summary>Repositories in the cluster: announcements over DistributedPubSub reach the coordinator's registry.</summary>
public sealed class RepositoryRegistryTests : RepositoryTestBase
{
    private IActorRef StartRegistry() => Sys.ActorOf(RepositoryRegistryActor.Props(Mediator, TimeSpan.FromSeconds(60)), "repositories");

    private async Task<RepositoryStatus> WaitForAsync(IActorRef registry, string name, Func<RepositoryStatus, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        RepositoryStatus? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var list = await registry.Ask<RepositoryList>(new ListRepositories(), TimeSpan.FromSeconds(5));
            last = list.Repositories.FirstOrDefault(r => r.Name == name);
            if (last is not null && condition(last)) return last;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Repository {name} never reached the expected state; last seen: {last}.");
    }

    [Fact]
    public async Task A_repository_announces_itself_and_its_images_to_the_registry()
    {
        var registry = StartRegistry();
        var status = await WaitForAsync(registry, "repo-test", _ => true);
        status.HttpAddress.Should().Be(BaseUrl);
        status.TotalBytes.Should().BePositive();
        status.FreeBytes.Should().BePositive().And.BeLessThanOrEqualTo(status.TotalBytes);
        status.IsComputerCache.Should().BeFalse();
        status.CanBeAssigned.Should().BeTrue();
        status.Online.Should().BeTrue();

        ArriveByRename(TestImages.Lzop(1), "win10");
        var available = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "win10");
        var withImage = await WaitForAsync(registry, "repo-test", r => r.Images.Any(i => i.CanonicalName == "win10" && i.State == ImageFileState.Ready));
        withImage.Images.Single().FullSum.Should().Be(available.FullSum);
        withImage.Images.Single().Info!.OgLine.Should().StartWith("PARTCLONE:LZOP:EXTFS:");
    }

    [Fact]
    public async Task A_registry_started_later_asks_the_repositories_to_announce_themselves()
    {
        await Task.Delay(500); // the repository's first announcements went out before any registry existed
        var registry = StartRegistry();
        var started = DateTime.UtcNow;
        await WaitForAsync(registry, "repo-test", _ => true);
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(10), "well before the 30 s periodic announcement");
    }

    [Fact]
    public async Task A_computers_cache_registers_as_a_repository_that_cannot_be_assigned_and_goes_offline_with_it()
    {
        var registry = StartRegistry();
        await WaitForAsync(registry, "repo-test", _ => true);
        var cache = CreateTestProbe();
        registry.Tell(new RepositoryAnnounced("pc01-cache", "http://127.0.0.1:9", 1_000, 2_000, IsComputerCache: true, [], cache.Ref, DateTimeOffset.UtcNow));

        var status = await WaitForAsync(registry, "pc01-cache", r => r.Online);
        status.CanBeAssigned.Should().BeFalse();
        status.IsComputerCache.Should().BeTrue();
        (await registry.Ask<RepositoryList>(new ListRepositories(IncludeComputerCaches: false), TimeSpan.FromSeconds(5)))
            .Repositories.Select(r => r.Name).Should().Equal("repo-test");

        // Imports go to the one assignable repository, never to a cache.
        var reply = await registry.Ask<object>(new ImportImageInto(null, new ImportImage("/nonexistent", null, "")), TimeSpan.FromSeconds(30));
        reply.Should().BeOfType<Refused>().Which.Reason.Should().Contain("does not exist on this repository node");

        Sys.Stop(cache.Ref);
        await WaitForAsync(registry, "pc01-cache", r => !r.Online);
    }

    [Fact]
    public async Task Delete_and_import_are_routed_to_the_right_repository()
    {
        var registry = StartRegistry();
        await WaitForAsync(registry, "repo-test", _ => true);

        var imported = await registry.Ask<object>(new ImportImageInto("repo-test", new ImportImage(TestImages.Lzop(2), "routed", "")), TimeSpan.FromSeconds(60));
        imported.Should().BeOfType<ImportCompleted>();
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "routed");
        await WaitForAsync(registry, "repo-test", r => r.Images.Any(i => i.CanonicalName == "routed" && i.State == ImageFileState.Ready));

        (await registry.Ask<object>(new DeleteImageIn(null, new DeleteImageFile("routed", "", false)), TimeSpan.FromSeconds(10)))
            .Should().BeOfType<Accepted>();
        (await registry.Ask<object>(new DeleteImageIn("nowhere", new DeleteImageFile("routed", "", false)), TimeSpan.FromSeconds(10)))
            .Should().BeOfType<Refused>().Which.Reason.Should().Contain("no repository named nowhere");
        File.Exists(Path.Combine(ImagesDirectory, "routed.img.ant")).Should().BeTrue();
    }
}
