using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using OgActors.Ctl.Api;
using OgActors.Ctl.Output;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>
/// The session palette: <c>session list|show ID|watch ID|cancel ID</c> (watch draws a live progress bar per computer and exits
/// non-zero when any computer failed or was cancelled).
/// </summary>
public static class SessionCommands
{
    public sealed record Target(string Computer, string Classroom, string Role);
    public sealed record Plan(string Kind, string Image, int ImageRevision, int Partition, string Repository, string Method, string Master,
        IReadOnlyList<Target> Targets);
    public sealed record Job(string Computer, string Classroom, string Role, string Status, string Path, string Reason, string Waiting,
        long Bytes, long TotalBytes, double BytesPerSecond, TimeSpan? Eta, TimeSpan Duration, string Error, long ResumedFrom = 0, int Attempt = 1, int Peers = 0)
    {
        /// <summary>"resumed at 37 MiB (attempt 2)" for a job whose download resumed, else "".</summary>
        public string Resumed => ResumedFrom <= 0 ? "" : $"resumed at {CtlOutput.Bytes(ResumedFrom)}{(Attempt > 1 ? $" (attempt {Attempt})" : "")}";
    }
    public sealed record Session(string SessionId, Plan Plan, string By, DateTimeOffset CreatedAt, string? Outcome, DateTimeOffset? FinishedAt,
        IReadOnlyList<Job> Jobs, IReadOnlyList<Multicast>? Multicast = null);
    /// <summary>One classroom's multicast transfer as its sender last reported it.</summary>
    public sealed record Multicast(string Classroom, string Repository, string Group, int Port, string Phase, int Joined, int WaitingFor,
        DateTimeOffset WaitingSince, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, IReadOnlyList<string> Members, IReadOnlyList<string> Late,
        IReadOnlyList<string> Dropped, IReadOnlyList<string> Declined, double SenderBytesPerSecond, long SenderBytes, string Note);
    public sealed record Summary(string SessionId, string Kind, string Image, string Method, string By, DateTimeOffset CreatedAt, string? Outcome,
        int Computers, int Queued, int Running, int Succeeded, int Failed, int Skipped);

    public static Command Create(CtlContext ctx)
    {
        var list = new Command("list", "deployment sessions, newest first");
        ctx.Action(list, async (parse, api, ct) =>
        {
            var sessions = await api.GetAsync<List<Summary>>("api/sessions", ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(sessions); return; }
            var table = CtlOutput.Table("Session", "Command", "Image", "Method", "By", "Created", "Computers", "Queued/Running", "OK/Failed/Skipped", "Outcome");
            foreach (var s in sessions)
                table.AddRow(Markup.Escape(s.SessionId), Markup.Escape(s.Kind), Markup.Escape(s.Image.Length == 0 ? "-" : s.Image), Markup.Escape(s.Method.ToLowerInvariant()),
                    Markup.Escape(s.By), Markup.Escape(CtlOutput.When(s.CreatedAt, DateTimeOffset.UtcNow)), s.Computers.ToString(),
                    $"{s.Queued}/{s.Running}", $"{s.Succeeded}/{s.Failed}/{s.Skipped}", Outcome(s.Outcome));
            ctx.Output.Write(table);
        });

        var id = new Argument<string>("ID") { Description = "session id" };
        var show = new Command("show", "one session: its parameters and each computer's job") { id };
        ctx.Action(show, async (parse, api, ct) =>
        {
            var s = await api.GetAsync<Session>($"api/sessions/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(s); return; }
            Print(ctx, s);
        });

        var watchId = new Argument<string>("ID") { Description = "session id" };
        var watch = new Command("watch", "follow a session live: a progress bar per computer until it ends") { watchId };
        ctx.Action(watch, async (parse, api, ct) =>
        {
            Session? last = null;
            var stream = Ndjson.ReadAsync<Session>(api.Endpoint, $"api/sessions/{Uri.EscapeDataString(parse.GetValue(watchId)!)}/watch", ct);
            if (ctx.WantsJson(parse))
            {
                await foreach (var s in stream) { last = s; ctx.Output.Json(s); }
                ThrowIfNotAllSucceeded(last);
                return;
            }
            await ctx.Output.Console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var bars = new Dictionary<string, ProgressTask>();
                    await foreach (var s in stream)
                    {
                        last = s;
                        foreach (var j in s.Jobs)
                        {
                            if (!bars.TryGetValue(j.Computer, out var bar)) bars[j.Computer] = bar = progress.AddTask(j.Computer, maxValue: 1);
                            bar.Description = Markup.Escape($"{j.Computer} {j.Status.ToLowerInvariant()}{(j.Path.Length > 0 ? " " + j.Path : "")}{(j.Waiting.Length > 0 ? $" ({j.Waiting})" : "")}{(j.Resumed.Length > 0 ? $", {j.Resumed}" : "")}{(j.Peers > 0 ? $", {j.Peers} peers" : "")}");
                            if (j.TotalBytes > 0) { bar.MaxValue = j.TotalBytes; bar.Value = j.Bytes; }
                            if (j.Status is "Succeeded" or "Skipped") { bar.Value = bar.MaxValue; bar.StopTask(); }
                            else if (j.Status is "Failed" or "Cancelled")
                            {   // drawn as it ended: the bar stays where the job stopped, the description says failed
                                bar.Description = $"[red]{Markup.Escape($"{j.Computer} {j.Status.ToLowerInvariant()}: {(j.Error.Length > 0 ? j.Error : j.Reason)}")}[/]";
                                bar.StopTask();
                            }
                        }
                    }
                });
            if (last is not null) Print(ctx, last);
            ThrowIfNotAllSucceeded(last);
        });

        var cancelId = new Argument<string>("ID") { Description = "session id" };
        var cancel = new Command("cancel", "cancel a session: queued jobs are dropped, running ones stopped (caches stay resumable)") { cancelId };
        ctx.Action(cancel, async (parse, api, ct) =>
        {
            var sid = parse.GetValue(cancelId)!;
            var done = await api.PostAsync<ClassroomCommands.Done>($"api/sessions/{Uri.EscapeDataString(sid)}/cancel", new { }, ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(done); return; }
            ctx.Output.Line($"session [bold]{Markup.Escape(sid)}[/] cancelled");
        });

        return new Command("session", "deployment sessions: list, show, watch, cancel") { list, show, watch, cancel };
    }

    /// <summary>watch exits non-zero when the session did not end with every computer succeeded (or skipped).</summary>
    private static void ThrowIfNotAllSucceeded(Session? last)
    {
        if (last is null) throw new CtlException("The session's watch ended before the session was seen.");
        var bad = last.Jobs.Where(j => j.Status is "Failed" or "Cancelled").Select(j => $"{j.Computer} {j.Status.ToLowerInvariant()}").ToList();
        if (last.Outcome is null) throw new CtlException($"Session {last.SessionId} is still in progress; the watch stopped.");
        if (bad.Count > 0 || last.Outcome != "Succeeded")
            throw new CtlException($"Session {last.SessionId} ended {last.Outcome.ToLowerInvariant()}: {(bad.Count > 0 ? string.Join(", ", bad) : "no computer succeeded")}.");
    }

    internal static void Print(CtlContext ctx, Session s)
    {
        var p = s.Plan;
        ctx.Output.Line($"[bold]session {Markup.Escape(s.SessionId)}[/]  {Markup.Escape(p.Kind)} {Markup.Escape(p.Image)}{(p.ImageRevision > 0 ? $" r{p.ImageRevision}" : "")} by {Markup.Escape(p.Method.ToLowerInvariant())}"
            + (p.Partition > 0 ? $" on partition {p.Partition}" : "") + (p.Master.Length > 0 ? $", master {Markup.Escape(p.Master)}" : "")
            + $"  — {Markup.Escape(s.By)}, {Markup.Escape(CtlOutput.When(s.CreatedAt, DateTimeOffset.UtcNow))}");
        var table = CtlOutput.Table("Computer", "Classroom", "State", "Path and reason", "Bytes", "Seconds", "Error");
        foreach (var j in s.Jobs)
            table.AddRow(Markup.Escape(j.Computer + (j.Role == "Single" ? "" : $" ({j.Role.ToLowerInvariant()})")), Markup.Escape(j.Classroom), State(j.Status),
                Markup.Escape(j.Path.Length == 0 ? j.Waiting.Length > 0 ? j.Waiting : "-" : $"{j.Path}: {j.Reason}"),
                (j.TotalBytes > 0 ? $"{CtlOutput.Bytes(j.Bytes)}/{CtlOutput.Bytes(j.TotalBytes)}" : CtlOutput.Bytes(j.Bytes))
                    + (j.Resumed.Length > 0 ? $", {j.Resumed}" : ""),
                j.Duration.TotalSeconds.ToString("0.#"), Markup.Escape(j.Error.Length == 0 ? "-" : j.Error));
        ctx.Output.Write(table);
        PrintMulticast(ctx, s);
        ctx.Output.Line($"outcome: {Outcome(s.Outcome)}");
    }

    /// <summary>The multicast section: per classroom, group and port, members joined / waited for, waiting since, started at, dropped, sender rate.</summary>
    private static void PrintMulticast(CtlContext ctx, Session s)
    {
        if (s.Multicast is not { Count: > 0 } transfers) return;
        var now = DateTimeOffset.UtcNow;
        var table = CtlOutput.Table("Multicast", "Group:port", "State", "Joined/waited for", "Waiting since", "Started at", "Late", "Dropped", "Declined", "Sender rate", "Note");
        foreach (var m in transfers)
            table.AddRow(Markup.Escape($"{m.Classroom} ({m.Repository})"), Markup.Escape($"{m.Group}:{m.Port}"), Markup.Escape(m.Phase.ToLowerInvariant()),
                $"{m.Joined}/{m.WaitingFor}", Markup.Escape(CtlOutput.When(m.WaitingSince, now)),
                Markup.Escape(m.StartedAt is { } at ? CtlOutput.When(at, now) : "-"), Markup.Escape(List(m.Late)), Markup.Escape(List(m.Dropped)),
                Markup.Escape(List(m.Declined)), m.SenderBytesPerSecond > 0 ? $"{m.SenderBytesPerSecond * 8 / 1e6:0.#} Mbit/s" : "-",
                Markup.Escape(m.Note.Length == 0 ? "-" : m.Note));
        ctx.Output.Write(table);

        static string List(IReadOnlyList<string> names) => names.Count == 0 ? "-" : string.Join(", ", names);
    }

    private static string State(string status) => status switch
    {
        "Succeeded" => "[green]succeeded[/]",
        "Failed" => "[red]failed[/]",
        "Running" => "[blue]running[/]",
        "Cancelled" => "[red]cancelled[/]",
        "Waiting" => "[yellow]waiting[/]",
        _ => Markup.Escape(status.ToLowerInvariant()),
    };

    private static string Outcome(string? outcome) => outcome switch
    {
        null => "[blue]in progress[/]",
        "Succeeded" => "[green]succeeded[/]",
        "Failed" => "[red]failed[/]",
        "Cancelled" => "[red]cancelled[/]",
        _ => "[yellow]partly succeeded[/]",
    };
}

/// <summary>Streams NDJSON from the API (session watch, audit --follow), one object per line, with the same errors as ApiClient.</summary>
internal static class Ndjson
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async IAsyncEnumerable<T> ReadAsync<T>(ApiEndpoint endpoint, string path,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var http = new HttpClient(ApiTrust.Handler(endpoint)) { BaseAddress = new Uri(endpoint.Url.ToString().TrimEnd('/') + "/"), Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.Token);
        HttpResponseMessage response;
        try { response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct); }
        catch (HttpRequestException)
        { throw new CtlException($"Cannot reach the coordinator API at {endpoint.Url} (from {endpoint.Source}); is the coordinator or the lab running?"); }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                string? error = null;
                try { error = JsonDocument.Parse(text).RootElement.GetProperty("error").GetString(); } catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { }
                throw new CtlException(error ?? $"The coordinator API answered {(int)response.StatusCode} {response.ReasonPhrase}.", (int)response.StatusCode == 401 ? 3 : 1);
            }
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            while (true)
            {
                string? line;
                try { line = await reader.ReadLineAsync(ct); }
                catch (OperationCanceledException) { yield break; }
                if (line is null) yield break;
                if (line.Length == 0) continue;
                yield return JsonSerializer.Deserialize<T>(line, Json)!;
            }
        }
    }
}
