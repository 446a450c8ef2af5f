using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using OgActors.Ctl.Api;
using Spectre.Console;

namespace OgActors.Ctl.Commands;

/// <summary>
/// <c>ogctl operator add NAME --role admin|viewer --file PATH</c>: makes a random token for a new operator, appends
/// <c>NAME ROLE sha256:HEX</c> to the coordinator's operators file (which holds only hashes) and prints the token once.
/// <c>ogctl operator hash TOKEN</c> prints a token's hash (for <c>og.coordinator.api.operators</c> in hocon).
/// Both work offline: no API call.
/// </summary>
public static partial class OperatorCommands
{
    public static Command Create(CtlContext ctx)
    {
        var name = new Argument<string>("name") { Description = "the operator's name (the \"who\" of their events)" };
        var role = new Option<string>("--role") { Description = "admin (may change things) or viewer (may only read)", DefaultValueFactory = _ => "viewer" };
        var file = new Option<string>("--file") { Description = "the coordinator's operators file (og.coordinator.api.operators-file, default DATA-DIR/operators)", Required = true };
        var add = new Command("add", "add an operator: prints their new token once, stores only its hash") { name, role, file };
        add.SetAction(parse => Run(ctx, () => Add(ctx, parse.GetValue(name)!, parse.GetValue(role)!, parse.GetValue(file)!)));

        var token = new Argument<string>("token") { Description = "the token to hash" };
        var hash = new Command("hash", "print the sha256: hash of a token (what the operators file and hocon store)") { token };
        hash.SetAction(parse => Run(ctx, () => ctx.Output.Line(Markup.Escape(Hash(parse.GetValue(token)!)))));

        return new Command("operator", "operators of the API and their roles (offline: edits the coordinator's operators file)") { add, hash };
    }

    public static string Hash(string token) => "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant();

    private static int Run(CtlContext ctx, Action action)
    {
        try { action(); return 0; }
        catch (CtlException e) { ctx.Output.Error(e.Message); return e.ExitCode; }
    }

    private static void Add(CtlContext ctx, string name, string role, string file)
    {
        name = name.Trim();
        role = role.Trim().ToLowerInvariant();
        if (!ValidName().IsMatch(name))
            throw new CtlException($"The operator name '{name}' must be letters, digits, '.', '_' or '-' (no spaces).", 2);
        if (role is not ("admin" or "viewer"))
            throw new CtlException($"The role must be admin or viewer, not '{role}'.", 2);
        var lines = File.Exists(file) ? File.ReadAllLines(file) : [];
        if (lines.Select(l => l.Split('#', 2)[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                 .Any(f => f.Length > 0 && string.Equals(f[0], name, StringComparison.OrdinalIgnoreCase)))
            throw new CtlException($"{file} already has an operator named '{name}'; remove their line first to give them a new token.");
        var dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        if (!Directory.Exists(dir)) throw new CtlException($"The directory {dir} of the operators file does not exist.");
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var created = !File.Exists(file);
        var text = (created ? "# OgActors operators: NAME ROLE sha256:HASH-OF-TOKEN (written by ogctl operator add)\n" : "")
                   + (lines.Length > 0 && !File.ReadAllText(file).EndsWith('\n') ? "\n" : "")
                   + $"{name} {role} {Hash(secret)}\n";
        try
        {
            File.AppendAllText(file, text);
            if (created && !OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CtlException($"Cannot write {file}: {e.Message}");
        }
        ctx.Output.Line($"Operator [bold]{Markup.Escape(name)}[/] ({role}) added to {Markup.Escape(file)}. Their token (shown only now; the file keeps its hash):");
        ctx.Output.Line(secret);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex ValidName();
}
