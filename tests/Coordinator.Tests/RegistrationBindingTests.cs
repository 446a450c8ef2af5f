using Akka.Actor;
using OgActors.Coordinator.Computers;

namespace OgActors.Coordinator.Tests;

/// <summary>The registry's binding of a registration to its agent's address (pure state, no cluster).</summary>
public sealed class RegistrationBindingTests
{
    private static Address At(string host, int port = 4054) => new("akka.tcp", "ogactors", host, port);

    private static IActorRef Agent(ActorSystem system, Address address) =>
        ((ExtendedActorSystem)system).Provider.ResolveActorRef(new RootActorPath(address) / "user" / "computer-agent");

    [Fact]
    public async Task A_registration_must_come_from_the_computers_recorded_or_bound_address()
    {
        using var system = ActorSystem.Create("binding", "akka.actor.provider = remote\nakka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }");
        try
        {
            var state = new ComputerRegistryState();
            // The classroom records pc01 at 172.17.36.11: only an agent there may be pc01, whatever it claims.
            state.RegistrationRefusal("pc01", At("172.17.36.11"), "172.17.36.11", coordinatorOnLoopback: false).Should().BeNull();
            state.RegistrationRefusal("pc01", At("172.17.36.12"), "172.17.36.11", coordinatorOnLoopback: false)
                .Should().Be("Computer pc01 is recorded at 172.17.36.11 in its classroom, but this registration comes from 172.17.36.12.");
            // In-process agents (one ActorSystem) are trusted.
            state.RegistrationRefusal("pc01", new Address("akka", "ogactors"), "172.17.36.11", coordinatorOnLoopback: false).Should().BeNull();

            // No record (or a one-host lab on loopback): a computer online at one host cannot be taken over from another.
            state.Online("pc02", Agent(system, At("127.0.0.1", 5000)), DateTimeOffset.UtcNow);
            state.RegistrationRefusal("pc02", At("127.0.0.1", 5001), "172.17.36.12", coordinatorOnLoopback: true).Should().BeNull("it restarted on another port");
            state.RegistrationRefusal("pc02", At("127.0.0.2"), "172.17.36.12", coordinatorOnLoopback: true)
                .Should().Be("Computer pc02 is online at 127.0.0.1; a registration under its name from 127.0.0.2 is refused.");
            state.RegistrationRefusal("pc02", At("10.0.0.9"), null, coordinatorOnLoopback: false).Should().Contain("is online at 127.0.0.1");
            state.Offline("pc02", DateTimeOffset.UtcNow, "unreachable");
            state.RegistrationRefusal("pc02", At("10.0.0.9"), null, coordinatorOnLoopback: false).Should().BeNull("unrecorded and offline: nothing to bind to");

            ComputerRegistryState.IsLoopback("127.0.0.5").Should().BeTrue();
            ComputerRegistryState.IsLoopback("::1").Should().BeTrue();
            ComputerRegistryState.IsLoopback("172.17.36.1").Should().BeFalse();
        }
        finally
        {
            await system.Terminate();
        }
    }
}
