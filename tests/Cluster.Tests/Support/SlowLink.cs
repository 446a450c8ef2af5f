using System.Net;
using System.Net.Sockets;

namespace OgActors.Cluster.Tests.Support;

/// <summary>
/// A slow network link on loopback for tests that must act while a transfer is under way: a TCP relay to a target chosen
/// at the first connection, copying the target's answer at most <paramref name="bytesPerSecond"/> per connection (the
/// request direction is not limited). Plays the part a shaped classroom link (tc) plays in the virtual lab.
/// </summary>
public sealed class SlowLink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<Uri> _target;
    private readonly long _bytesPerSecond;
    private readonly Task _accepting;

    public SlowLink(Func<Uri> target, long bytesPerSecond)
    {
        _target = target;
        _bytesPerSecond = bytesPerSecond;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = RelayAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var _ = client;
        var target = _target();
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(target.Host, target.Port, _stop.Token);
            var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
            var down = ThrottledCopyAsync(server.GetStream(), client.GetStream());
            await Task.WhenAny(up, down);
            await down;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException) { }
    }

    private async Task ThrottledCopyAsync(Stream from, Stream to)
    {
        var buffer = new byte[64 * 1024];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long sent = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            sent += read;
            var due = TimeSpan.FromSeconds((double)sent / _bytesPerSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due, _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
    }
}
