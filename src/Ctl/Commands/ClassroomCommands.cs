using System.CommandLine;
using System.Globalization;
using OgActors.Ctl.Api;
using OgActors.Ctl.Output;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>
/// The classroom palette: <c>classroom define|add-computer|remove-computer|set-multicast|set-p2p|show|list</c>.
/// </summary>
public static class ClassroomCommands
{
    public sealed record Multicast(int Port, string GroupAddress, string Duplex, int MaxMbps, int WaitForComputers, int MaxWaitSeconds);
    public sealed record P2P(string Mode, int SeedSeconds);
    public sealed record PartitionImage(int Partition, string Image, int Revision, DateTimeOffset DeployedAt, string SessionId, string? Damage = null);
    public sealed record ComputerRecord(string Name, string Ip, string Mac, string Repository, long CacheSizeBytes, IReadOnlyList<PartitionImage> Partitions);
    public sealed record Classroom(string Name, string Network, Multicast Multicast, P2P P2P, IReadOnlyList<ComputerRecord> Computers,
        DateTimeOffset DefinedAt, string DefinedBy);
    public sealed record Done(string? Id);

    public static Command Create(CtlContext ctx)
    {
        var name = new Argument<string>("NAME") { Description = "classroom name" };
        var network = new Option<string>("--network") { Description = "the classroom's IPv4 network, e.g. 172.17.36.0/24", Required = true };
        var define = new Command("define", "define a classroom with its network (multicast group 239.194.x.z derived from it)") { name, network };
        ctx.Action(define, async (parse, api, ct) =>
        {
            await api.PostAsync<Done>("api/classrooms", new { name = parse.GetValue(name), network = parse.GetValue(network) }, ct);
            ctx.Output.Line($"classroom [bold]{Markup.Escape(parse.GetValue(name)!)}[/] defined");
        });

        var room = new Argument<string>("CLASSROOM") { Description = "classroom name" };
        var pc = new Option<string>("--name") { Description = "computer name", Required = true };
        var ip = new Option<string>("--ip") { Description = "IPv4 address inside the classroom's network", Required = true };
        var mac = new Option<string>("--mac") { Description = "MAC address (12 hex digits)", Required = true };
        var repo = new Option<string?>("--repo") { Description = "repository assigned to the computer" };
        var cache = new Option<string?>("--cache-size") { Description = "cache size, e.g. 20G, 512M (none = no cache)" };
        var add = new Command("add-computer", "add a computer to a classroom") { room, pc, ip, mac, repo, cache };
        ctx.Action(add, async (parse, api, ct) =>
        {
            var size = parse.GetValue(cache) is { } text ? Sizes.Parse(text, "--cache-size") : 0;
            await api.PostAsync<Done>($"api/classrooms/{Uri.EscapeDataString(parse.GetValue(room)!)}/computers",
                new { name = parse.GetValue(pc), ip = parse.GetValue(ip), mac = parse.GetValue(mac), repository = parse.GetValue(repo), cacheSizeBytes = size }, ct);
            ctx.Output.Line($"computer [bold]{Markup.Escape(parse.GetValue(pc)!)}[/] added to {Markup.Escape(parse.GetValue(room)!)}");
        });

        var room2 = new Argument<string>("CLASSROOM") { Description = "classroom name" };
        var pcName = new Argument<string>("COMPUTER") { Description = "computer name" };
        var remove = new Command("remove-computer", "remove a computer from a classroom") { room2, pcName };
        ctx.Action(remove, async (parse, api, ct) =>
        {
            await api.PostAsync<Done>($"api/classrooms/{Uri.EscapeDataString(parse.GetValue(room2)!)}/computers/{Uri.EscapeDataString(parse.GetValue(pcName)!)}/remove", new { }, ct);
            ctx.Output.Line($"computer {Markup.Escape(parse.GetValue(pcName)!)} removed");
        });

        var room3 = new Argument<string>("CLASSROOM") { Description = "classroom name" };
        var mo = new MulticastOptions();
        var setMulticast = new Command("set-multicast", "change the classroom's multicast defaults") { room3 };
        mo.AddTo(setMulticast);
        ctx.Action(setMulticast, async (parse, api, ct) =>
        {
            await api.PostAsync<Done>($"api/classrooms/{Uri.EscapeDataString(parse.GetValue(room3)!)}/multicast", mo.Body(parse), ct);
            ctx.Output.Line("multicast defaults changed");
        });

        var room4 = new Argument<string>("CLASSROOM") { Description = "classroom name" };
        var po = new P2POptions();
        var setP2P = new Command("set-p2p", "change the classroom's P2P defaults") { room4 };
        po.AddTo(setP2P);
        ctx.Action(setP2P, async (parse, api, ct) =>
        {
            await api.PostAsync<Done>($"api/classrooms/{Uri.EscapeDataString(parse.GetValue(room4)!)}/p2p", po.Body(parse), ct);
            ctx.Output.Line("p2p defaults changed");
        });

        var room5 = new Argument<string>("CLASSROOM") { Description = "classroom name" };
        var show = new Command("show", "a classroom: network, defaults, computers and what their partitions hold") { room5 };
        ctx.Action(show, async (parse, api, ct) =>
        {
            var c = await api.GetAsync<Classroom>($"api/classrooms/{Uri.EscapeDataString(parse.GetValue(room5)!)}", ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(c); return; }
            ctx.Output.Line($"[bold]{Markup.Escape(c.Name)}[/]  network {Markup.Escape(c.Network)}  defined by {Markup.Escape(c.DefinedBy)} {Markup.Escape(CtlOutput.When(c.DefinedAt, DateTimeOffset.UtcNow))}");
            var m = c.Multicast;
            ctx.Output.Line(Markup.Escape($"multicast {m.GroupAddress}:{m.Port} {m.Duplex.ToLowerInvariant()}-duplex {m.MaxMbps} Mbit/s, wait for {(m.WaitForComputers == 0 ? "all" : m.WaitForComputers)} computer(s) at most {m.MaxWaitSeconds} s"));
            ctx.Output.Line(Markup.Escape($"p2p {c.P2P.Mode.ToLowerInvariant()}, seed {c.P2P.SeedSeconds} s after completion"));
            var table = CtlOutput.Table("Computer", "IP", "MAC", "Repository", "Cache", "Partitions");
            foreach (var pcr in c.Computers)
                table.AddRow(Markup.Escape(pcr.Name), Markup.Escape(pcr.Ip), Markup.Escape(pcr.Mac), Markup.Escape(pcr.Repository.Length == 0 ? "-" : pcr.Repository),
                    pcr.CacheSizeBytes > 0 ? CtlOutput.Bytes(pcr.CacheSizeBytes) : "none",
                    Markup.Escape(pcr.Partitions.Count == 0 ? "-" : string.Join(", ", pcr.Partitions.Select(p =>
                        p.Damage is { Length: > 0 } damage
                            ? $"{p.Partition}: DAMAGED, content unknown ({damage}; {p.DeployedAt.ToLocalTime():yyyy-MM-dd HH:mm})"
                            : $"{p.Partition}: {p.Image} {(p.Revision > 0 ? $"r{p.Revision}" : "unknown revision")} ({p.DeployedAt.ToLocalTime():yyyy-MM-dd HH:mm})"))));
            ctx.Output.Write(table);
        });

        var list = new Command("list", "every classroom: network, multicast group and port, computers");
        ctx.Action(list, async (parse, api, ct) =>
        {
            var rooms = await api.GetAsync<List<Classroom>>("api/classrooms", ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(rooms); return; }
            var table = CtlOutput.Table("Classroom", "Network", "Multicast", "P2P", "Computers");
            foreach (var c in rooms)
                table.AddRow(Markup.Escape(c.Name), Markup.Escape(c.Network), Markup.Escape($"{c.Multicast.GroupAddress}:{c.Multicast.Port}"),
                    Markup.Escape(c.P2P.Mode.ToLowerInvariant()), c.Computers.Count.ToString(CultureInfo.InvariantCulture));
            ctx.Output.Write(table);
            ctx.Output.Line($"{rooms.Count} classroom(s)");
        });

        return new Command("classroom", "classrooms: network, computers, multicast and P2P defaults") { define, add, remove, setMulticast, setP2P, show, list };
    }
}

/// <summary>The multicast options shared by <c>classroom set-multicast</c> and the deploy commands' overrides.</summary>
public sealed class MulticastOptions
{
    public Option<int?> Port { get; } = new("--port") { Description = "multicast port (even, 9000-9098)" };
    public Option<string?> Group { get; } = new("--group") { Description = "multicast group address (default 239.194.x.z)" };
    public Option<string?> Duplex { get; } = new("--duplex") { Description = "full or half" };
    public Option<int?> MaxMbps { get; } = new("--max-mbps") { Description = "maximum speed, Mbit/s" };
    public Option<int?> WaitComputers { get; } = new("--wait-computers") { Description = "computers to wait for (0 = all)" };
    public Option<int?> MaxWait { get; } = new("--max-wait") { Description = "seconds to wait before starting anyway" };

    public void AddTo(Command c) { c.Options.Add(Port); c.Options.Add(Group); c.Options.Add(Duplex); c.Options.Add(MaxMbps); c.Options.Add(WaitComputers); c.Options.Add(MaxWait); }

    public object Body(ParseResult p) => new
    {
        port = p.GetValue(Port), groupAddress = p.GetValue(Group), duplex = Choice(p.GetValue(Duplex), "--duplex", "Full", "Half"),
        maxMbps = p.GetValue(MaxMbps), waitForComputers = p.GetValue(WaitComputers), maxWaitSeconds = p.GetValue(MaxWait),
    };

    internal static string? Choice(string? value, string option, params string[] choices)
    {
        if (value is null) return null;
        return choices.FirstOrDefault(c => c.Equals(value, StringComparison.OrdinalIgnoreCase))
            ?? throw new CtlException($"{option} must be one of {string.Join(", ", choices.Select(c => c.ToLowerInvariant()))}, not '{value}'.", 2);
    }
}

/// <summary>The P2P options shared by <c>classroom set-p2p</c> and the deploy commands' overrides.</summary>
public sealed class P2POptions
{
    public Option<string?> Mode { get; } = new("--p2p-mode") { Description = "leecher, peer or seeder" };
    public Option<int?> SeedSeconds { get; } = new("--seed-seconds") { Description = "seconds to keep seeding after completion" };

    public void AddTo(Command c) { c.Options.Add(Mode); c.Options.Add(SeedSeconds); }

    public object Body(ParseResult p) => new
    {
        mode = MulticastOptions.Choice(p.GetValue(Mode), "--p2p-mode", "Leecher", "Peer", "Seeder"), seedSeconds = p.GetValue(SeedSeconds),
    };
}

/// <summary>"20G", "512M", "1.5T", "4096" (bytes) → bytes.</summary>
public static class Sizes
{
    public static long Parse(string text, string option)
    {
        var t = text.Trim().ToUpperInvariant().TrimEnd('B').TrimEnd('I');
        var unit = t.Length > 0 && char.IsLetter(t[^1]) ? t[^1] : ' ';
        var number = unit == ' ' ? t : t[..^1];
        var factor = unit switch { ' ' => 1L, 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, 'T' => 1L << 40, _ => 0 };
        if (factor == 0 || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
            throw new CtlException($"{option} '{text}' is not a size such as 20G, 512M or 4096.", 2);
        return (long)(value * factor);
    }
}
