using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace OgActors.ClientNode.Tests.Support;

/// <summary>
/// A repository's host on loopback that can go away: a TCP relay to the real repository service, pacing its answers at
/// <paramref name="bytesPerSecond"/> per connection so a download is under way when the test acts. <see cref="Die"/> is the
/// host crashing: every open connection is reset (RST) and new ones are refused. <see cref="Freeze"/> is the host switched
/// off: connections stay open and nothing more arrives, not even a reset.
/// </summary>
public sealed class DyingLink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Socket> _sockets = [];
    private readonly Uri _target;
    private readonly long _bytesPerSecond;
    private readonly Task _accepting;
    private volatile bool _frozen;

    public DyingLink(Uri target, long bytesPerSecond)
    {
        _target = target;
        _bytesPerSecond = bytesPerSecond;
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    /// <summary>The host crashes: open connections are reset, new ones refused.</summary>
    public void Die()
    {
        _listener.Stop();
        foreach (var socket in _sockets)
        {
            try { socket.LingerState = new LingerOption(true, 0); socket.Close(); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        }
    }

    /// <summary>The host is switched off: nothing more arrives on the open connections, and nothing answers new ones.</summary>
    public void Freeze() => _frozen = true;

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                _sockets.Add(client);
                _ = RelayAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    private async Task RelayAsync(Socket client)
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await server.ConnectAsync(_target.Host, _target.Port, _stop.Token);
            _sockets.Add(server);
            await using var up = new NetworkStream(client, ownsSocket: false);
            await using var down = new NetworkStream(server, ownsSocket: false);
            var requests = up.CopyToAsync(down, _stop.Token);
            await PacedCopyAsync(down, up);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException) { }
        finally
        {
            try { client.Dispose(); } catch (ObjectDisposedException) { }
        }
    }

    private async Task PacedCopyAsync(Stream from, Stream to)
    {
        var buffer = new byte[32 * 1024];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long sent = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            while (_frozen) await Task.Delay(50, _stop.Token);
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            sent += read;
            var due = TimeSpan.FromSeconds((double)sent / _bytesPerSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due, _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { _listener.Stop(); } catch (SocketException) { }
        Die();
        await _accepting;
    }
}
