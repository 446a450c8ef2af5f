using System.Net;
using System.Net.Sockets;

namespace OgActors.Lab.Virtual;

/// <summary>
/// The only way into the classroom from the ordinary shell: 127.0.0.1:PORT in the root namespace, each connection relayed
/// to the coordinator's operator API inside the servers' namespace (a socket this process opens there), so ogctl works
/// unchanged against a virtual lab.
/// </summary>
public sealed class ApiForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly string _namespace;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public ApiForwarder(int port, string ns, IPEndPoint target)
    {
        _namespace = ns;
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string Url => $"http://127.0.0.1:{Port}";

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = NetNs.TcpSocketIn(_namespace))
        {
            try
            {
                await upstream.ConnectAsync(_target, _stop.Token);
                await using var inner = new NetworkStream(upstream, ownsSocket: false);
                var outer = client.GetStream();
                var up = CopyThenShutdown(outer, inner, upstream);
                var down = CopyThenShutdown(inner, outer, client.Client);
                await Task.WhenAll(up, down);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException) { }
        }
    }

    private async Task CopyThenShutdown(Stream from, Stream to, Socket toSocket)
    {
        try { await from.CopyToAsync(to, _stop.Token); }
        finally { try { toSocket.Shutdown(SocketShutdown.Send); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { } }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
    }
}
