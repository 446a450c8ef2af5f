using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OgActors.Imaging.Torrent;

/// <summary>Why a JSON-RPC call to aria2 failed: it answered with an error, nothing listens on its RPC port, or it did not answer in time.</summary>
public enum Aria2Failure { Refused, Unreachable, TimedOut }

/// <summary>aria2 answered a JSON-RPC call with an error (or not at all): one sentence, and <see cref="Failure"/> says which.</summary>
public sealed class Aria2Exception(string message, Aria2Failure failure = Aria2Failure.Refused) : Exception(message)
{
    public Aria2Failure Failure { get; } = failure;
}

/// <summary>What aria2 says of one download (<c>aria2.tellStatus</c>); aria2 sends its numbers as strings.</summary>
public sealed record Aria2Status(
    string Gid, string Status, long TotalLength, long CompletedLength, long UploadLength, long DownloadSpeed, long UploadSpeed,
    int Connections, int NumSeeders, bool Seeder, string InfoHash, string ErrorCode, string ErrorMessage)
{
    public bool IsComplete => TotalLength > 0 && CompletedLength == TotalLength;

    internal static Aria2Status From(JsonNode node) => new(
        Text(node, "gid"), Text(node, "status"), Number(node, "totalLength"), Number(node, "completedLength"), Number(node, "uploadLength"),
        Number(node, "downloadSpeed"), Number(node, "uploadSpeed"), (int)Number(node, "connections"), (int)Number(node, "numSeeders"),
        Text(node, "seeder") == "true", Text(node, "infoHash").ToLowerInvariant(), Text(node, "errorCode"), Text(node, "errorMessage"));

    internal static string Text(JsonNode node, string key) => node[key]?.GetValue<string>() ?? "";

    internal static long Number(JsonNode node, string key) => long.TryParse(Text(node, key), out var n) ? n : 0;
}

/// <summary>One peer of a download as aria2 sees it (<c>aria2.getPeers</c>): address, whether it is a seeder, and how much of the torrent it has.</summary>
public sealed record Aria2Peer(string Ip, int Port, bool Seeder, double Fraction, long DownloadSpeed, long UploadSpeed)
{
    internal static Aria2Peer From(JsonNode node, int pieces)
    {
        var bitfield = Aria2Status.Text(node, "bitfield");
        var have = 0;
        foreach (var c in bitfield) have += System.Numerics.BitOperations.PopCount((uint)Convert.ToInt32(c.ToString(), 16));
        return new Aria2Peer(Aria2Status.Text(node, "ip"), (int)Aria2Status.Number(node, "port"), Aria2Status.Text(node, "seeder") == "true",
            pieces > 0 ? Math.Min(1.0, have / (double)pieces) : 0, Aria2Status.Number(node, "downloadSpeed"), Aria2Status.Number(node, "uploadSpeed"));
    }
}

/// <summary>
/// aria2's JSON-RPC over HTTP (<c>POST /jsonrpc</c>, every call carrying <c>token:SECRET</c>), with HttpClient and
/// System.Text.Json. Only the calls we use: add a torrent, its status, its peers, change its options, remove it, shut down.
/// </summary>
public sealed class Aria2Rpc(HttpClient http, Uri endpoint, string secret)
{
    private long _id;

    public Uri Endpoint { get; } = endpoint;

    /// <summary>Adds a torrent (its bytes) with per-download options; returns its GID.</summary>
    public async Task<string> AddTorrentAsync(byte[] torrent, IReadOnlyDictionary<string, string> options, CancellationToken cancellationToken = default)
    {
        var opts = new JsonObject();
        foreach (var (key, value) in options) opts[key] = value;
        var result = await CallAsync("aria2.addTorrent", cancellationToken, Convert.ToBase64String(torrent), new JsonArray(), opts);
        return result!.GetValue<string>();
    }

    public async Task<Aria2Status> TellStatusAsync(string gid, CancellationToken cancellationToken = default) =>
        Aria2Status.From((await CallAsync("aria2.tellStatus", cancellationToken, gid))!);

    /// <summary>Every download aria2 knows: active, waiting and stopped.</summary>
    public async Task<IReadOnlyList<Aria2Status>> TellAllAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<Aria2Status>();
        foreach (var node in (await CallAsync("aria2.tellActive", cancellationToken))!.AsArray()) all.Add(Aria2Status.From(node!));
        foreach (var node in (await CallAsync("aria2.tellWaiting", cancellationToken, 0, 1000))!.AsArray()) all.Add(Aria2Status.From(node!));
        foreach (var node in (await CallAsync("aria2.tellStopped", cancellationToken, 0, 1000))!.AsArray()) all.Add(Aria2Status.From(node!));
        return all;
    }

    public async Task<IReadOnlyList<Aria2Peer>> GetPeersAsync(string gid, int pieces, CancellationToken cancellationToken = default) =>
        [.. (await CallAsync("aria2.getPeers", cancellationToken, gid))!.AsArray().Select(p => Aria2Peer.From(p!, pieces))];

    public async Task ChangeOptionAsync(string gid, IReadOnlyDictionary<string, string> options, CancellationToken cancellationToken = default)
    {
        var opts = new JsonObject();
        foreach (var (key, value) in options) opts[key] = value;
        await CallAsync("aria2.changeOption", cancellationToken, gid, opts);
    }

    /// <summary>How long <see cref="RemoveAsync"/> lets aria2 stop a download the graceful way (it tells the tracker, at most
    /// its --bt-tracker-connect-timeout + --bt-tracker-timeout) before it forces the removal.</summary>
    public static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(20);

    /// <summary>How long <see cref="RemoveAsync"/> waits in all for aria2 to report the download stopped.</summary>
    public static readonly TimeSpan StopBound = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Stops a download and forgets it; its files stay. <c>aria2.remove</c>: aria2 tells the tracker the peer stopped and, for
    /// a download not complete, writes its control file (the pieces it verified) before it reports the download "removed"
    /// (aria2 saves the control file of a stopped download, then records its result). So this waits for that report, not a
    /// fixed time: asked every 100 ms, a busy aria2 (an RPC that times out) asked again; after <see cref="GracefulStop"/>
    /// the removal is forced (no tracker contact; the control file is still written), after <see cref="StopBound"/> it gives up.
    /// True when aria2 reported the download stopped or no longer knows it; false when aria2 is gone or never said so.
    /// </summary>
    public async Task<bool> RemoveAsync(string gid, CancellationToken cancellationToken = default)
    {
        var started = DateTime.UtcNow;
        try { await CallAsync("aria2.remove", cancellationToken, gid); }
        catch (Aria2Exception e) when (e.Failure == Aria2Failure.Refused) { } // already stopped (complete, error) or unknown: asked below
        catch (Aria2Exception e) when (e.Failure == Aria2Failure.Unreachable) { return false; }
        catch (Aria2Exception) { }                                             // busy: its status is asked below
        var forced = false;
        while (true)
        {
            try
            {
                var status = await TellStatusAsync(gid, cancellationToken);
                if (status.Status is "removed" or "complete" or "error") break;
            }
            catch (Aria2Exception e) when (e.Failure == Aria2Failure.Refused) { return true; } // it no longer knows the download
            catch (Aria2Exception e) when (e.Failure == Aria2Failure.Unreachable) { return false; } // aria2 is gone
            catch (Aria2Exception) { }                                                          // busy: asked again
            var waited = DateTime.UtcNow - started;
            if (waited > StopBound) return false;
            if (!forced && waited > GracefulStop)
            {
                forced = true;
                try { await CallAsync("aria2.forceRemove", cancellationToken, gid); } catch (Aria2Exception) { }
            }
            await Task.Delay(100, cancellationToken);
        }
        try { await CallAsync("aria2.removeDownloadResult", cancellationToken, gid); } catch (Aria2Exception) { }
        return true;
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken = default) => await CallAsync("aria2.shutdown", cancellationToken);

    public async Task<string> VersionAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync("aria2.getVersion", cancellationToken))!["version"]!.GetValue<string>();

    private async Task<JsonNode?> CallAsync(string method, CancellationToken cancellationToken, params object[] parameters)
    {
        var args = new JsonArray { $"token:{secret}" };
        foreach (var p in parameters)
            args.Add(p switch { JsonNode n => n, string s => JsonValue.Create(s), int i => JsonValue.Create(i), _ => throw new ArgumentException(p.GetType().Name) });
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = Interlocked.Increment(ref _id).ToString(), ["method"] = method, ["params"] = args };
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(Endpoint, new StringContent(request.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new Aria2Exception($"aria2 did not answer {method} at {Endpoint}: {e.Message.TrimEnd('.')}.", Aria2Failure.Unreachable);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested) // the HTTP client's timeout, not the caller's cancel
        {
            throw new Aria2Exception($"aria2 did not answer {method} at {Endpoint} within {http.Timeout.TotalSeconds:0} s.", Aria2Failure.TimedOut);
        }
        using (response)
        {
            JsonNode? body;
            try { body = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken); }
            catch (JsonException) { throw new Aria2Exception($"aria2 answered {method} with something that is not JSON (HTTP {(int)response.StatusCode})."); }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new Aria2Exception($"aria2 did not finish its answer to {method} within {http.Timeout.TotalSeconds:0} s.", Aria2Failure.TimedOut);
            }
            if (body?["error"] is { } error)
                throw new Aria2Exception($"aria2 refused {method}: {error["message"]?.GetValue<string>() ?? error.ToJsonString()}.");
            return body?["result"];
        }
    }
}
