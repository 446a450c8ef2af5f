using System.CommandLine;
using System.Text.Json;
using OgActors.Ctl.Api;
using OgActors.Ctl.Output;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>
/// The repository palette: <c>repo list</c> (repositories: address, free/total space, image count) and
/// <c>repo images REPO</c> (canonical name, size, TOOL:COMPRESSOR:FS:SIZEKB, sums, state, time).
/// <c>--json</c> prints the API's answer as it is, for scripts.
/// </summary>
public static class RepoCommands
{
    public static Command Create(CtlContext ctx)
    {
        var list = new Command("list", "Repositories: address, free/total space, image count.");
        ctx.Action(list, async (parse, api, ct) =>
        {
            var body = await api.GetAsync<JsonElement>("api/repositories", ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(body); return; }
            var repositories = body.Deserialize<List<RepositoryRow>>(ApiClient.Json)!;
            if (repositories.Count == 0) { ctx.Output.Line("[grey]No repository has announced itself yet.[/]"); return; }
            var table = CtlOutput.Table("Repository", "Address", "Free", "Total", "Images", "Kind", "Status");
            foreach (var r in repositories)
                table.AddRow(Markup.Escape(r.Name), Markup.Escape(r.HttpAddress), CtlOutput.Bytes(r.FreeBytes), CtlOutput.Bytes(r.TotalBytes),
                    r.ImageCount.ToString(), r.IsComputerCache ? "computer cache" : "repository",
                    r.Online ? "[green]online[/]" : $"[red]offline[/] since {Markup.Escape(CtlOutput.When(r.LastSeen, DateTimeOffset.UtcNow))}");
            ctx.Output.Write(table);
        });

        var name = new Argument<string>("REPO") { Description = "The repository's name (see ogctl repo list)." };
        var images = new Command("images", "The images of a repository: size, tool:compressor:fs:sizeKB, sums, state, time.") { name };
        ctx.Action(images, async (parse, api, ct) =>
        {
            var body = await api.GetAsync<JsonElement>($"api/repositories/{Uri.EscapeDataString(parse.GetValue(name)!)}/images", ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(body); return; }
            var rows = body.Deserialize<List<ImageRow>>(ApiClient.Json)!;
            if (rows.Count == 0) { ctx.Output.Line("[grey]No images.[/]"); return; }
            var table = CtlOutput.Table("Image", "Size", "Tool:Comp:FS:SizeKB", "Sum (last MiB)", "Full sum", "State", "Since");
            table.Columns[3].NoWrap();
            table.Columns[4].NoWrap();
            foreach (var i in rows)
                table.AddRow(
                    Markup.Escape(i.Folder.Length == 0 ? i.CanonicalName : $"{i.Folder}/{i.CanonicalName}"),
                    CtlOutput.Bytes(i.Size),
                    Markup.Escape(i.Info?.OgLine ?? ""),
                    i.Sum ?? "", i.FullSum ?? "",
                    i.State switch
                    {
                        "Ready" => "[green]ready[/]",
                        "Error" => $"[red]error[/] {Markup.Escape(i.Error ?? "")}",
                        "Locked" => "[yellow]locked[/]",
                        "Verifying" => $"[yellow]verifying {i.VerifiedPercent ?? 0} %[/]",
                        _ => "[yellow]processing[/]",
                    },
                    Markup.Escape(CtlOutput.When(i.StateSince, DateTimeOffset.UtcNow)));
            ctx.Output.Write(table);
        });

        return new Command("repo", "Repositories: their space and their images.") { list, images };
    }

    private sealed record RepositoryRow(string Name, string HttpAddress, long FreeBytes, long TotalBytes, bool IsComputerCache,
        bool Online, DateTimeOffset LastSeen, int ImageCount);

    private sealed record InfoRow(string OgLine);

    private sealed record ImageRow(string CanonicalName, string Folder, string State, long Size, InfoRow? Info, string? Sum,
        string? FullSum, string? Error, DateTimeOffset StateSince, int? VerifiedPercent = null);
}
