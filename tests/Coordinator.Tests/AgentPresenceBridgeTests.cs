using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using OgActors.Coordinator.Sessions;
using OgActors.Coordinator.Tests.Support;
using OgActors.Messages.Computers;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Tests;

/// <summary>The bridge turns the registry's presence announcements into the dispatcher's agent knowledge.</summary>
public sealed class AgentPresenceBridgeTests
{
    [Fact]
    public async Task Online_and_offline_computers_reach_the_dispatcher_with_their_agent()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store);
        var (registry, dispatcher, agent1, agent2) = (host.Kit.CreateTestProbe(), host.Kit.CreateTestProbe(), host.Kit.CreateTestProbe(), host.Kit.CreateTestProbe());
        ComputerStatus Status(string name, IActorRef agent) =>
            new(new ComputerInventory(name, "52:54:00:00:00:01", "10.0.0.1", [], new CacheInfo("/cache", 0, 0)), true, DateTimeOffset.UtcNow, "", agent);
        var mediator = DistributedPubSub.Get(host.System).Mediator;

        host.System.ActorOf(AgentPresenceBridge.Props(registry.Ref, dispatcher.Ref, mediator, ["Restore/Unicast"]));
        registry.ExpectMsg<ListComputers>().OnlineOnly.Should().BeTrue();
        registry.Reply(new ComputerList([Status("pc01", agent1.Ref)]));
        dispatcher.ExpectMsg<AgentAvailable>(TimeSpan.FromSeconds(5)).Should().Match<AgentAvailable>(a =>
            a.Computer == "pc01" && a.Agent.Equals(agent1.Ref) && a.JobKinds.Single() == "Restore/Unicast");

        await Task.Delay(500); // the subscription spreads
        mediator.Tell(new Publish(ComputerTopics.Presence, new ComputerPresenceChanged("pc02", true, DateTimeOffset.UtcNow, "")), ActorRefs.NoSender);
        registry.ExpectMsg<GetComputer>(TimeSpan.FromSeconds(5)).Name.Should().Be("pc02");
        registry.Reply(Status("pc02", agent2.Ref));
        dispatcher.ExpectMsg<AgentAvailable>(TimeSpan.FromSeconds(5)).Agent.Should().Be(agent2.Ref);

        mediator.Tell(new Publish(ComputerTopics.Presence, new ComputerPresenceChanged("pc01", false, DateTimeOffset.UtcNow, "power cut")), ActorRefs.NoSender);
        dispatcher.ExpectMsg<AgentGone>(TimeSpan.FromSeconds(5)).Computer.Should().Be("pc01");
    }
}
