using System.CommandLine;
using OgActors.Ctl.Api;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>
/// The commands that start deployment sessions: <c>create-image</c>, <c>restore</c>, <c>deploy</c>, <c>clone-remote</c>.
/// Each prints the session id; follow it with <c>ogctl session watch ID</c>. The scope is <c>--scope</c> with
/// classrooms and/or computers: <c>--scope aula1</c>, <c>--scope aula1,aula2</c>, <c>--scope pc01,pc02</c> — each name
/// is looked up as a classroom first, then as a computer.
/// </summary>
public static class DeployCommands
{
    public static IReadOnlyList<Func<CtlContext, Command>> Palettes => [CreateImage, Restore, Deploy, CloneRemote];

    public static Command CreateImage(CtlContext ctx)
    {
        var computer = new Option<string>("--computer") { Description = "the model computer", Required = true };
        var partition = new Option<int>("--partition") { Description = "the partition to capture", Required = true };
        var image = new Option<string>("--image") { Description = "the image object (canonical name)", Required = true };
        var repo = new Option<string>("--repo") { Description = "the repository that receives the file", Required = true };
        var offline = OfflineTimeout();
        var cmd = new Command("create-image", "capture a computer's partition into an image in a repository") { computer, partition, image, repo, offline };
        ctx.Action(cmd, async (parse, api, ct) => await Start(ctx, api, parse, new
        {
            kind = "CreateImage", computers = new[] { parse.GetValue(computer) }, partition = parse.GetValue(partition),
            image = parse.GetValue(image), repository = parse.GetValue(repo), method = "Unicast",
            offlineTimeoutSeconds = Seconds(parse.GetValue(offline)),
        }, ct));
        return cmd;
    }

    public static Command Restore(CtlContext ctx)
    {
        var scope = Scope();
        var partition = new Option<int>("--partition") { Description = "the target partition", Required = true };
        var image = new Option<string>("--image") { Description = "the image (canonical name)", Required = true };
        var method = new Option<string>("--method") { Description = "unicast, multicast or torrent", Required = true };
        var repo = new Option<string?>("--repo") { Description = "restore from this repository instead of each computer's own" };
        var offline = OfflineTimeout();
        var cmd = new Command("restore", "restore an image on a partition of every computer in the scope") { scope, partition, image, method, repo, offline };
        var mo = new MulticastOptions(); mo.AddTo(cmd);
        var po = new P2POptions(); po.AddTo(cmd);
        ctx.Action(cmd, async (parse, api, ct) =>
        {
            var (classrooms, computers) = await Resolve(api, parse.GetValue(scope)!, ct);
            await Start(ctx, api, parse, Merge(new Dictionary<string, object?>
            {
                ["kind"] = "Restore", ["classrooms"] = classrooms, ["computers"] = computers, ["partition"] = parse.GetValue(partition),
                ["image"] = parse.GetValue(image), ["method"] = Method(parse.GetValue(method), "unicast", "multicast", "torrent"),
                ["repository"] = parse.GetValue(repo), ["offlineTimeoutSeconds"] = Seconds(parse.GetValue(offline)),
            }, mo.Body(parse), po.Body(parse)), ct);
        });
        return cmd;
    }

    public static Command Deploy(CtlContext ctx)
    {
        var scope = Scope();
        var mode = new Option<string>("--mode") { Description = "updateCache (cache only) or deployImage (cache, then restore)", Required = true };
        var image = new Option<string>("--image") { Description = "the image (canonical name)", Required = true };
        var partition = new Option<int?>("--partition") { Description = "target partition (deployImage; default: the image's)" };
        var protocol = new Option<string>("--protocol") { Description = "multicast, torrent or unicast", Required = true };
        var offline = OfflineTimeout();
        var cmd = new Command("deploy", "the deploy wizard: update the caches, and restore from them (deployImage)") { scope, mode, image, partition, protocol, offline };
        var mo = new MulticastOptions(); mo.AddTo(cmd);
        var po = new P2POptions(); po.AddTo(cmd);
        ctx.Action(cmd, async (parse, api, ct) =>
        {
            var kind = parse.GetValue(mode)!.ToLowerInvariant() switch
            {
                "updatecache" => "UpdateCache",
                "deployimage" => "DeployImage",
                _ => throw new CtlException($"--mode must be updateCache or deployImage, not '{parse.GetValue(mode)}'.", 2),
            };
            var (classrooms, computers) = await Resolve(api, parse.GetValue(scope)!, ct);
            await Start(ctx, api, parse, Merge(new Dictionary<string, object?>
            {
                ["kind"] = kind, ["classrooms"] = classrooms, ["computers"] = computers, ["partition"] = parse.GetValue(partition),
                ["image"] = parse.GetValue(image), ["method"] = Method(parse.GetValue(protocol), "multicast", "torrent", "unicast"),
                ["offlineTimeoutSeconds"] = Seconds(parse.GetValue(offline)),
            }, mo.Body(parse), po.Body(parse)), ct);
        });
        return cmd;
    }

    public static Command CloneRemote(CtlContext ctx)
    {
        var scope = Scope();
        var master = new Option<string>("--master") { Description = "the computer that sends (it must be in the scope)", Required = true };
        var source = new Option<string>("--source") { Description = "PART:N, IMG-CACHE:NAME or IMG-REPO:NAME", Required = true };
        var partition = new Option<int>("--partition") { Description = "the target partition", Required = true };
        var method = new Option<string>("--method") { Description = "unicast or multicast", Required = true };
        var offline = OfflineTimeout();
        var cmd = new Command("clone-remote", "remote partition cloning from a master computer to the rest of the scope") { scope, master, source, partition, method, offline };
        var mo = new MulticastOptions(); mo.AddTo(cmd);
        ctx.Action(cmd, async (parse, api, ct) =>
        {
            var (classrooms, computers) = await Resolve(api, parse.GetValue(scope)!, ct);
            await Start(ctx, api, parse, Merge(new Dictionary<string, object?>
            {
                ["kind"] = "CloneRemote", ["classrooms"] = classrooms, ["computers"] = computers, ["partition"] = parse.GetValue(partition),
                ["master"] = parse.GetValue(master), ["source"] = parse.GetValue(source), ["method"] = Method(parse.GetValue(method), "unicast", "multicast"),
                ["offlineTimeoutSeconds"] = Seconds(parse.GetValue(offline)),
            }, mo.Body(parse)), ct);
        });
        return cmd;
    }

    private static Option<string?> OfflineTimeout() => new("--offline-timeout")
    {
        Description = "how long a computer may stay offline before its job fails (30s, 10m, 1h; default: the coordinator's, 10m)",
    };

    /// <summary>"90", "30s", "10m", "1h" → seconds; null when not given; bad usage (exit 2) otherwise.</summary>
    public static int? Seconds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim().ToLowerInvariant();
        var (digits, unit) = t[^1] is 's' or 'm' or 'h' ? (t[..^1], t[^1]) : (t, 's');
        if (!int.TryParse(digits, out var n) || n <= 0 || n > 7 * 24 * 3600)
            throw new CtlException($"--offline-timeout must be a positive duration such as 30s, 10m or 1h, not '{text}'.", 2);
        return unit switch { 'm' => n * 60, 'h' => n * 3600, _ => n };
    }

    private static Option<string> Scope() => new("--scope") { Description = "classrooms and/or computers, comma-separated", Required = true };

    /// <summary>Splits the scope into classrooms and computers by asking the API which names are classrooms.</summary>
    private static async Task<(List<string> Classrooms, List<string> Computers)> Resolve(ApiClient api, string scope, CancellationToken ct)
    {
        var names = scope.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new CtlException("--scope needs at least one classroom or computer.", 2);
        var rooms = (await api.GetAsync<List<ClassroomCommands.Classroom>>("api/classrooms", ct)).Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return (names.Where(rooms.Contains).ToList(), names.Where(n => !rooms.Contains(n)).ToList());
    }

    private static string Method(string? value, params string[] allowed) =>
        allowed.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase)) is { } m
            ? char.ToUpperInvariant(m[0]) + m[1..]
            : throw new CtlException($"The method must be {string.Join(", ", allowed)}, not '{value}'.", 2);

    private static Dictionary<string, object?> Merge(Dictionary<string, object?> body, params object[] more)
    {
        foreach (var extra in more)
            foreach (var p in extra.GetType().GetProperties())
                if (p.GetValue(extra) is { } v) body[p.Name == "mode" ? "p2PMode" : p.Name] = v;
        return body;
    }

    private static async Task Start(CtlContext ctx, ApiClient api, ParseResult parse, object body, CancellationToken ct)
    {
        var started = await api.PostAsync<ClassroomCommands.Done>("api/sessions", body, ct);
        if (ctx.WantsJson(parse)) { ctx.Output.Json(started); return; }
        ctx.Output.Line($"session [bold]{Markup.Escape(started.Id ?? "")}[/] started; follow it with: ogctl session watch {Markup.Escape(started.Id ?? "")}");
    }
}
