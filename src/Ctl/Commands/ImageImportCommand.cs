using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>
/// <c>ogctl image import PATH [--name CANONICAL] [--repo REPO] [--folder OU]</c>: PATH is on the repository node
/// (an image file, the first volume of a split set, a Clonezilla or FOG image directory, another OpenGnsys
/// repository's NAME.img with its sidecars). Prints the canonical names it made.
/// </summary>
public static class ImageImportCommand
{
    public static Command Create(Func<ParseResult, HttpClient> connect, Option<bool>? json = null, IAnsiConsole? console = null)
    {
        var path = new Argument<string>("PATH") { Description = "What to import, as a path on the repository node." };
        var name = new Option<string?>("--name") { Description = "Canonical name (for a directory: the prefix of <name>-<partition>)." };
        var repo = new Option<string?>("--repo") { Description = "Repository to import into (needed when there are several)." };
        var folder = new Option<string?>("--folder") { Description = "OU sub-folder of the images directory." };
        var shared = json;
        json ??= CtlHttp.JsonOption();
        var command = new Command("import", "Import an image made elsewhere (split set, Clonezilla/FOG directory, another OpenGnsys server's image).")
        {
            path, name, repo, folder,
        };
        if (shared is null) command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var output = console ?? AnsiConsole.Console;
            var source = parse.GetValue(path)!;
            if (!Path.IsPathRooted(source) && (File.Exists(source) || Directory.Exists(source))) source = Path.GetFullPath(source);
            var request = new HttpRequestMessage(HttpMethod.Post, "api/images/import")
            {
                Content = JsonContent.Create(new { path = source, name = parse.GetValue(name), repo = parse.GetValue(repo), folder = parse.GetValue(folder) }),
            };
            var http = connect(parse);
            try { http.Timeout = Timeout.InfiniteTimeSpan; } // joining and copying a big image takes minutes
            catch (InvalidOperationException) { } // a client already used keeps its own timeout
            var (ok, body) = await CtlHttp.SendAsync(http, request, output, ct);
            if (!ok) return 1;
            if (parse.GetValue(json)) { CtlHttp.WriteJson(output, body); return 0; }
            var repository = body.GetProperty("repository").GetString();
            var table = new Table().AddColumns("Image", "Size", "Tool:Comp:FS:SizeKB", "From", "Sums checked");
            foreach (var image in body.GetProperty("images").EnumerateArray())
            {
                var folderName = image.GetProperty("folder").GetString();
                var canonical = image.GetProperty("canonicalName").GetString()!;
                table.AddRow(
                    Markup.Escape(string.IsNullOrEmpty(folderName) ? canonical : $"{folderName}/{canonical}"),
                    CtlHttp.Bytes(image.GetProperty("size").GetInt64()),
                    Markup.Escape(image.GetProperty("ogLine").GetString() ?? ""),
                    Markup.Escape(string.Join(" + ", image.GetProperty("sources").EnumerateArray().Select(s => Path.GetFileName(s.GetString())))),
                    image.GetProperty("sumsVerified").GetBoolean() ? "yes" : "-");
            }
            output.MarkupLine($"Imported into repository [bold]{Markup.Escape(repository ?? "")}[/]; it incorporates them now (ogctl repo images {Markup.Escape(repository ?? "")}).");
            output.Write(table);
            return 0;
        });
        return command;
    }
}
