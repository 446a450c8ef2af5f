using Akka.Cluster.Tools.PublishSubscribe;
using OgActors.Coordinator.Tests.Support;
using OgActors.Messages.Common;
using OgActors.Messages.Images;
using OgActors.Messages.Repositories;

namespace OgActors.Coordinator.Tests;

/// <summary>Images link to the files repositories announce on the cluster, and unlink when the files disappear.</summary>
public sealed class RepositoryLinkTests
{
    private static ImageFileAvailable File(string repo, string name, string fullSum, long size = 4096) =>
        new(repo, name, "", Scenario.Info, "sum-" + fullSum, fullSum, "hash-" + fullSum, size, DateTimeOffset.UtcNow);

    [Fact]
    public async Task An_image_links_when_a_repository_announces_its_file_and_unlinks_when_it_disappears()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store);
        var d = host.Domain;
        var mediator = DistributedPubSub.Get(host.System).Mediator;
        void Announce(IRepositoryFileEvent e) => mediator.Tell(new Publish(Topics.RepositoryFiles, e), Akka.Actor.ActorRefs.NoSender);

        (await d.AskAsync(new DefineImage("win11", "Windows 11", "W11", 1, "NTFS", "repo1", "lab", "alice"))).Should().BeOfType<Accepted>();
        (await d.ImageAsync("win11"))!.Copies.Should().BeEmpty();
        await Task.Delay(500); // let the linker's subscription spread

        Announce(File("repo1", "win11", "A"));
        var linked = await Eventually(d, "win11", v => v.Copies.Count == 1);
        linked.Revision.Should().Be(1);
        linked.Copies[0].Should().Match<ImageFileCopy>(c => c.Repository == "repo1" && c.FullSum == "A" && c.Info.OgLine == Scenario.Info.OgLine);

        Announce(File("repo1", "win11", "A"));                 // announced again: nothing changes
        Announce(File("repo2", "win11", "A"));                 // a second repository holds the same content
        (await Eventually(d, "win11", v => v.Copies.Count == 2)).Revision.Should().Be(1);

        Announce(File("repo1", "win11", "B", 8192));           // a new capture into repo1
        var second = await Eventually(d, "win11", v => v.Revision == 2);
        second.Copies.Single(c => c.Repository == "repo1").Should().Match<ImageFileCopy>(c => c.Revision == 2 && c.Size == 8192);
        second.Copies.Single(c => c.Repository == "repo2").Revision.Should().Be(1);

        Announce(new ImageFileRemoved("repo2", "win11", "", DateTimeOffset.UtcNow));
        (await Eventually(d, "win11", v => v.Copies.Count == 1)).Copies[0].Repository.Should().Be("repo1");
        Announce(new ImageFileRemoved("repo1", "win11", "", DateTimeOffset.UtcNow));
        (await Eventually(d, "win11", v => v.Copies.Count == 0)).Revision.Should().Be(0, "no repository holds a file of it now");

        // A file that arrives before its image object is defined links as soon as it is defined.
        Announce(File("repo1", "ubuntu", "U"));
        await Task.Delay(1000);
        (await d.AskAsync(new DefineImage("ubuntu", "Ubuntu", "24.04", 2, "EXT4", "repo1", "lab", "alice"))).Should().BeOfType<Accepted>();
        (await d.ImageAsync("ubuntu"))!.Copies.Should().ContainSingle(c => c.FullSum == "U");
    }

    private static async Task<ImageView> Eventually(Domain.CoordinatorDomain d, string name, Func<ImageView, bool> condition)
    {
        ImageView? view = null;
        for (var i = 0; i < 100; i++)
        {
            view = await d.ImageAsync(name);
            if (view is not null && condition(view)) return view;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"Image {name} did not reach the expected state: {System.Text.Json.JsonSerializer.Serialize(view)}");
    }
}
