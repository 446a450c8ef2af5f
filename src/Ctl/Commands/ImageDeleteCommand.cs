using System.CommandLine;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>
/// <c>ogctl image delete NAME [--repo REPO] [--folder OU] [--purge]</c>: removes NAME.img with its sidecars; the
/// version removed is kept as NAME.img.ant (+ .sum.ant, .full.sum.ant, .torrent.ant) unless <c>--purge</c>, which
/// removes the backup too.
/// </summary>
public static class ImageDeleteCommand
{
    public static Command Create(Func<ParseResult, HttpClient> connect, Option<bool>? json = null, IAnsiConsole? console = null)
    {
        var name = new Argument<string>("NAME") { Description = "Canonical name of the image (OU/NAME for an OU sub-folder)." };
        var repo = new Option<string?>("--repo") { Description = "Repository (needed when several hold the image)." };
        var folder = new Option<string?>("--folder") { Description = "OU sub-folder of the images directory." };
        var purge = new Option<bool>("--purge") { Description = "Keep no .ant backup (and remove an older one)." };
        var shared = json;
        json ??= CtlHttp.JsonOption();
        var command = new Command("delete", "Delete an image file from a repository (kept as NAME.img.ant unless --purge).")
        {
            name, repo, folder, purge,
        };
        if (shared is null) command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var output = console ?? AnsiConsole.Console;
            var canonical = parse.GetValue(name)!;
            var ou = parse.GetValue(folder) ?? "";
            if (ou.Length == 0 && canonical.Split('/') is [var f, var n]) (ou, canonical) = (f, n);
            var query = $"api/images/{Uri.EscapeDataString(canonical)}?purge={(parse.GetValue(purge) ? "true" : "false")}"
                        + (ou.Length > 0 ? $"&folder={Uri.EscapeDataString(ou)}" : "")
                        + (parse.GetValue(repo) is { } r ? $"&repo={Uri.EscapeDataString(r)}" : "");
            var (ok, body) = await CtlHttp.SendAsync(connect(parse), new HttpRequestMessage(HttpMethod.Delete, query), output, ct);
            if (!ok) return 1;
            if (parse.GetValue(json)) { CtlHttp.WriteJson(output, body); return 0; }
            output.MarkupLine(parse.GetValue(purge)
                ? $"Image {Markup.Escape(canonical)} deleted (purged, no backup kept)."
                : $"Image {Markup.Escape(canonical)} deleted; the previous version is kept as {Markup.Escape(canonical)}.img.ant.");
            return 0;
        });
        return command;
    }
}
