using System.CommandLine;
using System.Text.Json;
using OgActors.Ctl.Api;
using OgActors.Ctl.Output;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>
/// <c>ogctl image import PATH [--name CANONICAL] [--repo REPO] [--folder OU]</c>: PATH is on the repository node
/// (an image file, the first volume of a split set, a Clonezilla or FOG image directory, another OpenGnsys
/// repository's NAME.img with its sidecars). Prints the canonical names it made.
/// </summary>
public static class ImageImportCommand
{
    public static Command Create(CtlContext ctx)
    {
        var path = new Argument<string>("PATH") { Description = "What to import, as a path on the repository node." };
        var name = new Option<string?>("--name") { Description = "Canonical name (for a directory: the prefix of <name>-<partition>)." };
        var repo = new Option<string?>("--repo") { Description = "Repository to import into (needed when there are several)." };
        var folder = new Option<string?>("--folder") { Description = "OU sub-folder of the images directory." };
        var command = new Command("import", "Import an image made elsewhere (split set, Clonezilla/FOG directory, another OpenGnsys server's image).")
        {
            path, name, repo, folder,
        };
        ctx.Action(command, async (parse, api, ct) =>
        {
            var source = parse.GetValue(path)!;
            if (!Path.IsPathRooted(source) && (File.Exists(source) || Directory.Exists(source))) source = Path.GetFullPath(source);
            api.Timeout = Timeout.InfiniteTimeSpan;                  // joining and copying a big image takes minutes
            var body = await api.PostAsync<JsonElement>("api/images/import",
                new { path = source, name = parse.GetValue(name), repo = parse.GetValue(repo), folder = parse.GetValue(folder) }, ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(body); return; }
            var repository = Markup.Escape(body.GetProperty("repository").GetString() ?? "");
            var table = CtlOutput.Table("Image", "Size", "Tool:Comp:FS:SizeKB", "From", "Sums checked");
            foreach (var image in body.GetProperty("images").EnumerateArray())
            {
                var folderName = image.GetProperty("folder").GetString();
                var canonical = image.GetProperty("canonicalName").GetString()!;
                table.AddRow(
                    Markup.Escape(string.IsNullOrEmpty(folderName) ? canonical : $"{folderName}/{canonical}"),
                    CtlOutput.Bytes(image.GetProperty("size").GetInt64()),
                    Markup.Escape(image.GetProperty("ogLine").GetString() ?? ""),
                    Markup.Escape(string.Join(" + ", image.GetProperty("sources").EnumerateArray().Select(s => Path.GetFileName(s.GetString())))),
                    image.GetProperty("sumsVerified").GetBoolean() ? "yes" : "-");
            }
            ctx.Output.Line($"Imported into repository [bold]{repository}[/]; it incorporates them now (ogctl repo images {repository}).");
            ctx.Output.Write(table);
        });
        return command;
    }
}
