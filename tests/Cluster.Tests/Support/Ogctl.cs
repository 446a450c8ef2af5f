using OgActors.Ctl;
using OgActors.Ctl.Api;

namespace OgActors.Cluster.Tests.Support;

/// <summary>Runs the real ogctl entry point in process, with the given environment, capturing its output.</summary>
public static class Ogctl
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string> variables, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var env = new CtlEnvironment(name => variables.GetValueOrDefault(name), variables.GetValueOrDefault("OG_LAB") ?? "/nonexistent-lab",
            stdout, stderr, Interactive: false);
        var code = await CtlApp.RunAsync(args, env);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }
}
