using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using OgActors.Messages.Multicast;

namespace OgActors.Multicast;

/// <summary>
/// The repository's multicast entry point (<c>/user/multicast-NAME</c>, put into DistributedPubSub so computers reach it
/// through their ClusterClient): one <see cref="MulticastSessionActor"/> per (session, classroom), created at the first
/// join (or decline), each with its own port pair: the classroom's even port, or the next free even port when another
/// transfer holds it (or the operating system has it bound).
/// </summary>
public sealed class MulticastManagerActor : ReceiveActor
{
    private readonly MulticastNodeSettings _settings;
    private readonly Dictionary<string, (IActorRef Actor, int Port)> _transfers = new();
    private readonly Dictionary<IActorRef, string> _keys = new();
    // Transfers that ended (the last ones, bounded): a computer that comes back to one (a restarted node sending its job
    // again) is answered here instead of starting a second, empty transfer that would replace the first one's record.
    private readonly LinkedList<string> _ended = new();
    private const int EndedKept = 1000;

    public MulticastManagerActor(MulticastNodeSettings settings)
    {
        _settings = settings;
        Receive<JoinMulticast>(join =>
        {
            var key = $"{join.SessionId}/{join.Classroom}";
            if (!_transfers.ContainsKey(key) && _ended.Contains(key))
            {
                if (join.Declined.Length == 0)
                    join.Member.Tell(new MulticastMissed(join.SessionId, join.Computer,
                        $"{join.Computer} joined after the multicast of session {join.SessionId} in {join.Classroom} had ended; it catches up by unicast."));
                return; // a decline: nothing waits for it any more
            }
            if (!_transfers.TryGetValue(key, out var transfer))
            {
                var port = FreePort(join.Settings.Port);
                var actor = Context.ActorOf(MulticastSessionActor.Props(_settings, join, port),
                    "mc-" + Uri.EscapeDataString(join.SessionId) + "-" + Uri.EscapeDataString(join.Classroom) + "-" + port);
                Context.Watch(actor);
                _transfers[key] = transfer = (actor, port);
                _keys[actor] = key;
            }
            transfer.Actor.Forward(join);
        });
        Receive<Terminated>(t =>
        {
            if (!_keys.Remove(t.ActorRef, out var key)) return;
            _transfers.Remove(key);
            _ended.AddLast(key);
            if (_ended.Count > EndedKept) _ended.RemoveFirst();
        });
    }

    public static Props Props(MulticastNodeSettings settings) => Akka.Actor.Props.Create(() => new MulticastManagerActor(settings));

    /// <summary>The classroom's port when free, else the next even one (udpcast uses the port and the one after it).</summary>
    private int FreePort(int wanted)
    {
        var port = wanted % 2 == 0 ? wanted : wanted + 1;
        var held = _transfers.Values.Select(t => t.Port).ToHashSet();
        while (port < 65534 && (held.Contains(port) || !Bindable(port) || !Bindable(port + 1))) port += 2;
        return port;
    }

    private static bool Bindable(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            return true;
        }
        catch (SocketException) { return false; }
    }
}
