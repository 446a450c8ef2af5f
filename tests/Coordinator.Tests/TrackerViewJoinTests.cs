using Akka.Actor;
using FluentAssertions;
using OgActors.Coordinator.Repositories;
using OgActors.Messages.Computers;
using OgActors.Messages.Repositories;
using Xunit;

namespace OgActors.Coordinator.Tests;

/// <summary>The tracker view as the operator reads it: peers by computer or repository name, not only IP:port.</summary>
public sealed class TrackerViewJoinTests
{
    private static ComputerStatus Computer(string name, string ip) =>
        new(new ComputerInventory(name, "52:54:00:00:00:01", ip, [], new CacheInfo("/cache", 0, 0)), true, DateTimeOffset.UtcNow, "", ActorRefs.Nobody);

    private static RepositoryStatus Repository(string name, string url) =>
        new(name, url, 1, 2, false, true, true, DateTimeOffset.UtcNow, []);

    [Fact]
    public void Peers_are_named_after_the_registered_computers_and_repositories_and_their_role_and_progress_kept()
    {
        var at = DateTimeOffset.UtcNow;
        var view = new TrackerView("repo1", "http://172.17.36.1:6969/announce",
        [
            new Swarm("win10", "aula", new string('a', 40), 1000, 4, Seeders: 2, Downloaders: 2, Completed: 3,
            [
                new SwarmPeer("172.17.36.1", 40001, IsRepository: true, Seeder: true, 1, ""),
                new SwarmPeer("172.17.36.11", 40002, IsRepository: false, Seeder: true, 1, ""),
                new SwarmPeer("172.17.36.12", 40003, IsRepository: false, Seeder: false, 0.25, ""),
                new SwarmPeer("172.17.36.2", 40004, IsRepository: false, Seeder: false, 0.5, ""),
                new SwarmPeer("172.17.36.99", 40005, IsRepository: false, Seeder: false, 0, "nothing listens there any more"),
            ]),
        ], at);
        var joined = TrackerViewJoin.Join(view,
            [Computer("pc01", "172.17.36.11"), Computer("pc02", "172.17.36.12"), Computer("pc03", "172.17.36.13")],
            [Repository("repo1", "http://172.17.36.1:5481"), Repository("repo2", "http://172.17.36.2:5481")]);

        var image = joined.Should().ContainSingle().Subject;
        (image.Repository, image.Image, image.Folder, image.Seeders, image.Downloaders, image.Completed, image.At)
            .Should().Be(("repo1", "win10", "aula", 2L, 2L, 3L, at));
        image.Peers.Should().Equal(
            new TrackerPeerView("repo1", "repository", "172.17.36.1:40001", "seeder", 1, ""),
            new TrackerPeerView("pc01", "computer", "172.17.36.11:40002", "seeder", 1, ""),
            new TrackerPeerView("pc02", "computer", "172.17.36.12:40003", "downloading", 0.25, ""),
            new TrackerPeerView("repo2", "repository", "172.17.36.2:40004", "downloading", 0.5, ""),
            new TrackerPeerView("", "unknown", "172.17.36.99:40005", "unreachable", null, "nothing listens there any more"));
    }
}
