using System.CommandLine;
using System.Globalization;
using OgActors.Ctl.Api;
using OgActors.Ctl.Output;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>
/// The tracker palette: <c>tracker show [--repo R] [--image NAME]</c> — per tracked image, its seeders and downloaders as
/// computer names with their progress, and the tracker's completed count (the repositories' trackers joined with the
/// computer registry). <c>--json</c> prints the API's answer as it is.
/// </summary>
public static class TrackerCommands
{
    public sealed record Peer(string Name, string Kind, string Address, string Role, double? Progress, string Problem);

    public sealed record TrackedImage(string Repository, string Image, string Folder, string InfoHash, long Size, int Pieces,
        long Seeders, long Downloaders, long Completed, IReadOnlyList<Peer> Peers, DateTimeOffset At);

    public sealed record Reply(IReadOnlyList<TrackedImage> Images, IReadOnlyList<string> Problems);

    public static Command Create(CtlContext ctx)
    {
        var repo = new Option<string?>("--repo") { Description = "only this repository's tracker" };
        var image = new Option<string?>("--image") { Description = "only this image (NAME or OU/NAME)" };
        var show = new Command("show", "per tracked image: its seeders and downloaders by computer name, their progress, the completed count") { repo, image };
        ctx.Action(show, async (parse, api, ct) =>
        {
            var query = new List<string>();
            if (parse.GetValue(repo) is { Length: > 0 } r) query.Add($"repo={Uri.EscapeDataString(r)}");
            if (parse.GetValue(image) is { Length: > 0 } i) query.Add($"image={Uri.EscapeDataString(i)}");
            var reply = await api.GetAsync<Reply>("api/tracker" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(reply); return; }
            if (reply.Images.Count == 0) ctx.Output.Line("[grey]No image is tracked (only ready images are).[/]");
            foreach (var tracked in reply.Images)
            {
                var name = tracked.Folder.Length == 0 ? tracked.Image : $"{tracked.Folder}/{tracked.Image}";
                ctx.Output.Line($"[bold]{Markup.Escape(name)}[/] on {Markup.Escape(tracked.Repository)} ({CtlOutput.Bytes(tracked.Size)}, {tracked.Pieces} pieces, info-hash {tracked.InfoHash}): "
                    + $"{tracked.Seeders} seeder(s), {tracked.Downloaders} downloading, {tracked.Completed} completed");
                var table = CtlOutput.Table("Peer", "Address", "Role", "Progress");
                foreach (var p in tracked.Peers)
                    table.AddRow(Markup.Escape(Who(p)), Markup.Escape(p.Address),
                        p.Role switch { "seeder" => "[green]seeder[/]", "downloading" => "[yellow]downloading[/]", _ => $"[red]{Markup.Escape(p.Role)}[/]" },
                        p.Progress is { } f ? f.ToString("0.0 %", CultureInfo.InvariantCulture) : Markup.Escape(p.Problem.Length > 0 ? p.Problem : "-"));
                ctx.Output.Write(table);
            }
            foreach (var problem in reply.Problems) ctx.Output.Line($"[yellow]warning:[/] {Markup.Escape(problem)}");
        });
        return new Command("tracker", "the repositories' BitTorrent trackers: who seeds and downloads each image") { show };
    }

    private static string Who(Peer p) => p.Kind switch
    {
        "repository" => $"{p.Name} (repository)",
        "computer" => p.Name,
        _ => "not one of ours",
    };
}
