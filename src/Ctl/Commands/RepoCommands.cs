using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Net.Http.Headers;
using OgActors.Ctl.Api;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>
/// <c>ogctl repo list</c> (repositories: address, free/total space, image count) and <c>ogctl repo images REPO</c>
/// (canonical name, size, TOOL:COMPRESSOR:FS:SIZEKB, sums, state, time). Tables for people, <c>--json</c> for scripts.
/// </summary>
public static class RepoCommands
{
    /// <param name="connect">Gives an HttpClient on the coordinator's API (base address and bearer token set).</param>
    public static Command Create(Func<ParseResult, HttpClient> connect, Option<bool>? json = null, IAnsiConsole? console = null)
    {
        var repo = new Command("repo", "Repositories: their space and their images.");
        repo.Subcommands.Add(List(connect, json, console));
        repo.Subcommands.Add(Images(connect, json, console));
        return repo;
    }

    private static Command List(Func<ParseResult, HttpClient> connect, Option<bool>? shared, IAnsiConsole? console)
    {
        var json = shared ?? CtlHttp.JsonOption();
        var command = new Command("list", "Repositories: address, free/total space, image count.");
        if (shared is null) command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var output = console ?? AnsiConsole.Console;
            var (ok, body) = await CtlHttp.GetAsync(connect(parse), "api/repositories", output, ct);
            if (!ok) return 1;
            if (parse.GetValue(json)) { CtlHttp.WriteJson(output, body); return 0; }
            var repositories = body.Deserialize<List<RepositoryRow>>(CtlHttp.Json)!;
            var table = new Table().AddColumns("Repository", "Address", "Free", "Total", "Images", "Kind", "Status");
            foreach (var r in repositories)
                table.AddRow(Markup.Escape(r.Name), Markup.Escape(r.HttpAddress), CtlHttp.Bytes(r.FreeBytes), CtlHttp.Bytes(r.TotalBytes),
                    r.ImageCount.ToString(), r.IsComputerCache ? "computer cache" : "repository",
                    r.Online ? "[green]online[/]" : $"[red]offline[/] since {r.LastSeen:u}");
            if (repositories.Count == 0) output.MarkupLine("[grey]No repository has announced itself yet.[/]");
            else output.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Images(Func<ParseResult, HttpClient> connect, Option<bool>? shared, IAnsiConsole? console)
    {
        var json = shared ?? CtlHttp.JsonOption();
        var name = new Argument<string>("REPO") { Description = "The repository's name (see ogctl repo list)." };
        var command = new Command("images", "The images of a repository: size, tool:compressor:fs:sizeKB, sums, state, time.") { name };
        if (shared is null) command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var output = console ?? AnsiConsole.Console;
            var (ok, body) = await CtlHttp.GetAsync(connect(parse), $"api/repositories/{Uri.EscapeDataString(parse.GetValue(name)!)}/images", output, ct);
            if (!ok) return 1;
            if (parse.GetValue(json)) { CtlHttp.WriteJson(output, body); return 0; }
            var images = body.Deserialize<List<ImageRow>>(CtlHttp.Json)!;
            var table = new Table().AddColumns("Image", "Size", "Tool:Comp:FS:SizeKB")
                .AddColumn(new TableColumn("Sum (last MiB)").NoWrap()).AddColumn(new TableColumn("Full sum").NoWrap())
                .AddColumns("State", "Since");
            foreach (var i in images)
                table.AddRow(
                    Markup.Escape(i.Folder.Length == 0 ? i.CanonicalName : $"{i.Folder}/{i.CanonicalName}"),
                    CtlHttp.Bytes(i.Size),
                    Markup.Escape(i.Info?.OgLine ?? ""),
                    i.Sum ?? "", i.FullSum ?? "",
                    i.State switch
                    {
                        "Ready" => "[green]ready[/]",
                        "Error" => $"[red]error[/] {Markup.Escape(i.Error ?? "")}",
                        "Locked" => "[yellow]locked[/]",
                        _ => "[yellow]processing[/]",
                    },
                    i.StateSince.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss"));
            if (images.Count == 0) output.MarkupLine("[grey]No images.[/]");
            else output.Write(table);
            return 0;
        });
        return command;
    }

    private sealed record RepositoryRow(string Name, string HttpAddress, long FreeBytes, long TotalBytes, bool IsComputerCache,
        bool Online, DateTimeOffset LastSeen, int ImageCount);

    private sealed record InfoRow(string OgLine);

    private sealed record ImageRow(string CanonicalName, string Folder, string State, long Size, InfoRow? Info, string? Sum,
        string? FullSum, string? Error, DateTimeOffset StateSince);
}

/// <summary>What the repository palette's commands share: the JSON option, calls, errors, byte sizes.</summary>
internal static class CtlHttp
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON for scripts instead of a table." };

    public static Task<(bool Ok, JsonElement Body)> GetAsync(HttpClient http, string path, IAnsiConsole output, CancellationToken ct) =>
        SendAsync(http, new HttpRequestMessage(HttpMethod.Get, path), output, ct);

    public static async Task<(bool Ok, JsonElement Body)> SendAsync(HttpClient http, HttpRequestMessage request, IAnsiConsole output, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            output.MarkupLine($"[red]Cannot reach the coordinator API at {Markup.Escape(http.BaseAddress?.ToString() ?? "?")}: {Markup.Escape(e.Message)}[/]");
            return (false, default);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonElement body = default;
            try { if (text.Length > 0) body = JsonDocument.Parse(text).RootElement.Clone(); }
            catch (JsonException) { }
            if (response.IsSuccessStatusCode) return (true, body);
            var error = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var e) ? e.GetString()
                : $"The coordinator answered {(int)response.StatusCode} {response.ReasonPhrase}.";
            output.MarkupLine($"[red]{Markup.Escape(error ?? "")}[/]");
            return (false, body);
        }
    }

    /// <summary>JSON for scripts goes out verbatim, never wrapped to the terminal's width.</summary>
    public static void WriteJson(IAnsiConsole output, JsonElement body)
    {
        output.Profile.Out.Writer.WriteLine(body.GetRawText());
        output.Profile.Out.Writer.Flush();
    }

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return unit == 0 ? $"{bytes} B" : $"{value:0.0} {units[unit]}";
    }
}

/// <summary>The repository palette on ogctl's shared context: <c>repo list|images</c>, <c>image import|delete</c>.</summary>
public static class RepositoryPalette
{
    /// <summary><c>ogctl repo ...</c> for <c>CtlApp.Palettes</c>.</summary>
    public static Command Repo(CtlContext ctx) => RepoCommands.Create(parse => Http(ctx, parse), ctx.Json, Console(ctx));

    /// <summary><c>ogctl image import</c>, to add under the <c>image</c> palette.</summary>
    public static Command ImageImport(CtlContext ctx) => ImageImportCommand.Create(parse => Http(ctx, parse), ctx.Json, Console(ctx));

    /// <summary>Tables go where ogctl's output goes (its environment's writer).</summary>
    private static IAnsiConsole Console(CtlContext ctx)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(ctx.Environment.Out),
            Interactive = ctx.Environment.Interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!ctx.Environment.Interactive) console.Profile.Width = 200; // redirected: wide tables, as CtlOutput does
        return console;
    }

    private static HttpClient Http(CtlContext ctx, ParseResult parse)
    {
        var endpoint = ApiEndpoint.Resolve(parse.GetValue(ctx.Api), parse.GetValue(ctx.Token), ctx.Environment);
        return new HttpClient
        {
            BaseAddress = new Uri(endpoint.Url.ToString().TrimEnd('/') + "/"),
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", endpoint.Token) },
        };
    }
}
