using System.CommandLine;
using OgActors.Ctl.Output;

namespace OgActors.Ctl.Api;

/// <summary>
/// What every palette command shares: the global options (<c>--api</c>, <c>--token</c>, <c>--json</c>), the API client
/// they select, and the output. Palettes are <c>Func&lt;CtlContext, Command&gt;</c>; see <see cref="CtlApp"/>.
/// </summary>
public sealed class CtlContext(CtlEnvironment env)
{
    public Option<string?> Api { get; } = new("--api") { Description = "coordinator API URL (default: OG_API, else the lab's lab.json)", Recursive = true };
    public Option<string?> Token { get; } = new("--token") { Description = "API bearer token (default: OG_TOKEN, else the lab's lab.json)", Recursive = true };
    public Option<string?> Ca { get; } = new("--ca") { Description = "PEM CA certificate to trust for an https:// API (default: OG_CA, else the system's)", Recursive = true };
    public Option<bool> Json { get; } = new("--json") { Description = "print JSON instead of tables", Recursive = true };

    public CtlEnvironment Environment => env;
    public CtlOutput Output { get; } = new(env);

    public ApiClient Client(ParseResult parse) =>
        new(ApiEndpoint.Resolve(parse.GetValue(Api), parse.GetValue(Token), env, parse.GetValue(Ca)));

    public bool WantsJson(ParseResult parse) => parse.GetValue(Json);

    /// <summary>Wraps a command's work: operator errors become one sentence on stderr and their exit code.</summary>
    public void Action(Command command, Func<ParseResult, ApiClient, CancellationToken, Task> run) =>
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                using var client = Client(parse);
                await run(parse, client, ct);
                return 0;
            }
            catch (CtlException e)
            {
                Output.Error(e.Message);
                return e.ExitCode;
            }
        });
}
