using System.CommandLine;
using System.Globalization;
using OgActors.Ctl.Api;
using OgActors.Ctl.Output;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>
/// <c>ogctl audit [--image N] [--classroom C] [--computer PC] [--repo R] [--since T] [--follow]</c>: the journal replayed as a timeline
/// (who, when, what); <c>--follow</c> keeps streaming new events until Ctrl-C.
/// </summary>
public static class AuditCommands
{
    public sealed record Entry(long Offset, DateTimeOffset At, string By, string Subject, string Action, string Details, IReadOnlyList<string> Tags);

    public static Command Create(CtlContext ctx)
    {
        var image = new Option<string?>("--image") { Description = "only what concerns this image" };
        var classroom = new Option<string?>("--classroom") { Description = "only what concerns this classroom" };
        var computer = new Option<string?>("--computer") { Description = "only what concerns this computer" };
        var repo = new Option<string?>("--repo") { Description = "only what concerns this repository (imports, file deletions)" };
        var since = new Option<string?>("--since") { Description = "from this time on (e.g. 2026-11-24T17:00Z, or 2h / 30m / 1d ago)" };
        var follow = new Option<bool>("--follow") { Description = "keep streaming new events live (Ctrl-C to stop)" };
        var audit = new Command("audit", "the audit timeline: every change, who made it and when") { image, classroom, computer, repo, since, follow };
        ctx.Action(audit, async (parse, api, ct) =>
        {
            var query = new List<string>();
            void Add(string key, string? value) { if (!string.IsNullOrWhiteSpace(value)) query.Add($"{key}={Uri.EscapeDataString(value)}"); }
            Add("image", parse.GetValue(image));
            Add("classroom", parse.GetValue(classroom));
            Add("computer", parse.GetValue(computer));
            Add("repo", parse.GetValue(repo));
            Add("since", Since(parse.GetValue(since)));
            var json = ctx.WantsJson(parse);
            if (parse.GetValue(follow))
            {
                query.Add("follow=true");
                await foreach (var e in Ndjson.ReadAsync<Entry>(api.Endpoint, "api/audit?" + string.Join('&', query), ct))
                    if (json) ctx.Output.Json(e); else ctx.Output.Line(Line(e));
                return;
            }
            var entries = await api.GetAsync<List<Entry>>("api/audit" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), ct);
            if (json) { ctx.Output.Json(entries); return; }
            foreach (var e in entries) ctx.Output.Line(Line(e));
            ctx.Output.Line($"{entries.Count} event(s)");
        });
        return audit;
    }

    private static string Line(Entry e) =>
        $"{e.At.ToLocalTime():yyyy-MM-dd HH:mm:ss}  [bold]{Markup.Escape(e.By)}[/]  {Markup.Escape(e.Subject)}: {Markup.Escape(e.Action)}"
        + (e.Details.Length > 0 ? $" — {Markup.Escape(e.Details)}" : "");

    /// <summary>"2h", "30m", "1d" (ago) or an absolute time, as ISO 8601 for the API.</summary>
    private static string? Since(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        if (t.Length >= 2 && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            TimeSpan? ago = char.ToLowerInvariant(t[^1]) switch { 's' => TimeSpan.FromSeconds(n), 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), 'd' => TimeSpan.FromDays(n), _ => null };
            if (ago is { } a) return (DateTimeOffset.UtcNow - a).ToString("O", CultureInfo.InvariantCulture);
        }
        if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at)) return at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        throw new CtlException($"--since '{text}' is not a time (2026-11-24T17:00Z) nor a duration ago (30m, 2h, 1d).", 2);
    }
}
