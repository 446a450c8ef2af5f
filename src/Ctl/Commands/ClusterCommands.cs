using System.CommandLine;
using OgActors.Ctl.Api;
using OgActors.Ctl.Output;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>The cluster palette: <c>cluster show</c>, <c>cluster leave ADDRESS</c>, <c>cluster down ADDRESS</c>.</summary>
public static class ClusterCommands
{
    public static Command Create(CtlContext ctx)
    {
        var show = new Command("show", "list the cluster's members: address, roles, status, reachability");
        ctx.Action(show, async (parse, api, ct) =>
        {
            var state = await api.GetAsync<ClusterState>("api/cluster", ct);
            if (ctx.WantsJson(parse)) { ctx.Output.Json(state); return; }
            var table = CtlOutput.Table("Address", "Roles", "Status", "Reachability", "");
            foreach (var m in state.Members)
                table.AddRow(
                    Markup.Escape(m.Address),
                    Markup.Escape(string.Join(",", m.Roles)),
                    m.Status == "Up" ? "[green]Up[/]" : $"[yellow]{Markup.Escape(m.Status)}[/]",
                    m.Reachability == "reachable" ? "[green]reachable[/]" : "[red]unreachable[/]",
                    (m.Leader ? "leader " : "") + (m.Self ? "(api)" : ""));
            ctx.Output.Write(table);
            ctx.Output.Line($"{state.Members.Count} member(s); leader {Markup.Escape(state.Leader ?? "none")}");
        });

        return new Command("cluster", "the cluster of coordinators and repositories")
        {
            show,
            MemberCommand(ctx, "leave", "ask a member to leave the cluster gracefully"),
            MemberCommand(ctx, "down", "mark an unreachable member down (it is removed; use when a machine is gone for good)"),
        };
    }

    private static Command MemberCommand(CtlContext ctx, string verb, string description)
    {
        var address = new Argument<string>("ADDRESS") { Description = "member address: akka.tcp://ogactors@HOST:PORT or HOST:PORT" };
        var force = new Option<bool>("--force") { Description = "do it even if it is refused: a reachable member, or the last coordinator" };
        var command = new Command(verb, description) { address, force };
        ctx.Action(command, async (parse, api, ct) =>
        {
            var result = await api.PostAsync<MemberAction>($"api/cluster/{verb}", new { address = parse.GetValue(address), force = parse.GetValue(force) }, ct);
            if (ctx.WantsJson(parse)) ctx.Output.Json(result);
            else ctx.Output.Line(Markup.Escape(result.Message));
        });
        return command;
    }
}
