using OgActors.Ctl;
using OgActors.Ctl.Api;

return await CtlApp.RunAsync(args, CtlEnvironment.FromProcess());

namespace OgActors.Ctl
{
    using System.CommandLine;
    using OgActors.Ctl.Commands;

    /// <summary>
    /// ogctl, the operator console: an HTTP client of the coordinator's API with palette-style commands.
    /// Each palette is a <c>Func&lt;CtlContext, Command&gt;</c> in <see cref="Palettes"/>; adding one is one line there.
    /// </summary>
    public static class CtlApp
    {
        public static IReadOnlyList<Func<CtlContext, Command>> Palettes =>
        [
            ClusterCommands.Create,
            ComputerCommands.Create,
            RepoCommands.Create,
            TrackerCommands.Create,
            ImageCommands.Create,
            ProfileCommands.Create,
            ClassroomCommands.Create,
            .. DeployCommands.Palettes,
            SessionCommands.Create,
            AuditCommands.Create,
            PkiCommands.Create,
            OperatorCommands.Create,
        ];

        public static RootCommand Build(CtlContext ctx, IEnumerable<Func<CtlContext, Command>>? palettes = null)
        {
            var root = new RootCommand("ogctl: the OgActors operator console (talks to the coordinator's HTTP API)");
            root.Options.Add(ctx.Api);
            root.Options.Add(ctx.Token);
            root.Options.Add(ctx.Ca);
            root.Options.Add(ctx.Json);
            foreach (var palette in palettes ?? Palettes) root.Subcommands.Add(palette(ctx));
            return root;
        }

        /// <summary>Runs ogctl with <paramref name="args"/>; returns the exit code (0 ok, 1 failure, 2 bad usage, 3 token refused).</summary>
        public static async Task<int> RunAsync(string[] args, CtlEnvironment env, IEnumerable<Func<CtlContext, Command>>? palettes = null)
        {
            var ctx = new CtlContext(env);
            var root = Build(ctx, palettes);
            var parse = root.Parse(args);
            var config = new InvocationConfiguration { Output = env.Out, Error = env.Error, EnableDefaultExceptionHandler = false };
            if (parse.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
            {
                var error = parse.Errors.FirstOrDefault(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal)) ?? parse.Errors[0];
                ctx.Output.Error(error.Message.TrimEnd('.') + ". Run 'ogctl --help' for the commands.");
                return 2;
            }
            try
            {
                return await parse.InvokeAsync(config);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                ctx.Output.Error($"unexpected failure: {e.Message}");
                return 1;
            }
        }
    }
}
