using System.CommandLine;
using OgActors.Ctl.Api;
using OgActors.Ctl.Output;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>The computer palette: <c>computer list</c>, <c>computer show NAME</c>.</summary>
public static class ComputerCommands
{
    public static Command Create(CtlContext ctx)
    {
        var list = new Command("list", "list the registered computers: name, IP, MAC, online/offline, since");
        ctx.Action(list, async (parse, api, ct) =>
        {
            var computers = await api.GetAsync<List<Computer>>("api/computers", ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(computers); return; }
            var now = DateTimeOffset.UtcNow;
            var table = CtlOutput.Table("Name", "IP", "MAC", "State", "Since");
            foreach (var c in computers)
                table.AddRow(Markup.Escape(c.Name), Markup.Escape(c.Ip), Markup.Escape(c.Mac), State(c), Markup.Escape(CtlOutput.When(c.Since, now)));
            ctx.Output.Write(table);
            ctx.Output.Line($"{computers.Count} computer(s), {computers.Count(c => c.Online)} online");
        });

        var name = new Argument<string>("NAME") { Description = "computer name" };
        var show = new Command("show", "one computer with its partitions and cache") { name };
        ctx.Action(show, async (parse, api, ct) =>
        {
            var c = await api.GetAsync<Computer>($"api/computers/{Uri.EscapeDataString(parse.GetValue(name)!)}", ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(c); return; }
            ctx.Output.Line($"[bold]{Markup.Escape(c.Name)}[/]  {Markup.Escape(c.Ip)}  {Markup.Escape(c.Mac)}  {State(c)} since {Markup.Escape(CtlOutput.When(c.Since, DateTimeOffset.UtcNow))}");
            var table = CtlOutput.Table("Partition", "Device", "Size", "Filesystem", "Image", "Deployed");
            foreach (var p in c.Partitions)
                table.AddRow(p.Number.ToString(), Markup.Escape(p.Device), CtlOutput.Bytes(p.SizeBytes), Markup.Escape(p.Filesystem.Length == 0 ? "-" : p.Filesystem),
                    string.IsNullOrEmpty(p.Image) ? "-" : Markup.Escape($"{p.Image} r{p.ImageRevision}"),
                    p.DeployedAt is { } at ? Markup.Escape(CtlOutput.When(at, DateTimeOffset.UtcNow)) : "-");
            ctx.Output.Write(table);
            ctx.Output.Line(c.Cache.CapacityBytes > 0
                ? $"cache {Markup.Escape(c.Cache.Directory)}: {CtlOutput.Bytes(c.Cache.FreeBytes)} free of {CtlOutput.Bytes(c.Cache.CapacityBytes)}"
                : "no cache");
            foreach (var i in c.Cache.Images ?? [])
                ctx.Output.Line(Markup.Escape($"  cached {i.Name}: {CtlOutput.Bytes(i.SizeBytes)}, sum {i.Sum}, full sum {i.FullSum}"));
            foreach (var w in c.Warnings ?? [])
                ctx.Output.Line($"[yellow]warning:[/] {Markup.Escape(w)}");
        });

        return new Command("computer", "the computers (client agents) known to the coordinator") { list, show };
    }

    private static string State(Computer c) =>
        c.Online ? "[green]online[/]" : $"[red]offline[/]" + (c.OfflineReason.Length > 0 ? $" ({Markup.Escape(c.OfflineReason)})" : "");
}
