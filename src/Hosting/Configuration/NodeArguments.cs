using System.Collections;
using System.Text;

namespace OgActors.Hosting.Configuration;

/// <summary>
/// A node's command line and environment, turned into configuration layers:
/// <c>--config FILE</c> (or OG_CONFIG) names the site file; every <see cref="NodeOption"/> becomes a HOCON override;
/// <c>--set PATH=VALUE</c> overrides any key with raw HOCON. The command line wins over the environment.
/// </summary>
public sealed record NodeArguments(NodeRole Role, string? ConfigFile, string EnvironmentHocon, string CommandLineHocon, bool Help)
{
    public static NodeArguments Parse(NodeRole role, string[] args, IDictionary? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariables();
        var options = NodeOptions.For(role);
        string? configFile = environment["OG_CONFIG"] as string;

        var env = new StringBuilder();
        foreach (var option in options)
            if (option.Env is not null && environment[option.Env] is string value && value.Length > 0)
                env.AppendLine(Render(option, option.Kind is OptionKind.List or OptionKind.Partitions
                    ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    : [value]));

        var given = new Dictionary<NodeOption, List<string>>();
        var raw = new StringBuilder();
        var help = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help") { help = true; continue; }
            string? inline = null;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--") && eq > 0) { inline = arg[(eq + 1)..]; arg = arg[..eq]; }
            string Value() => inline ?? (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new SettingsException($"The option {arg} needs a value."));

            if (arg == "--config") { configFile = Value(); continue; }
            if (arg == "--set")
            {
                var setting = Value();
                var at = setting.IndexOf('=');
                if (at <= 0) throw new SettingsException($"--set expects PATH=VALUE, got '{setting}'.");
                raw.AppendLine($"{setting[..at].Trim()} = {setting[(at + 1)..].Trim()}");
                continue;
            }
            var option = options.FirstOrDefault(o => o.Flag == arg)
                ?? throw new SettingsException($"Unknown option '{arg}'; run with --help to list the options.");
            if (!given.TryGetValue(option, out var values)) given[option] = values = [];
            values.Add(Value());
        }

        var cli = new StringBuilder();
        foreach (var (option, values) in given) cli.AppendLine(Render(option, values));
        cli.Append(raw);
        return new NodeArguments(role, configFile, env.ToString(), cli.ToString(), help);
    }

    /// <summary>The configuration these arguments select: overrides over the site file over the embedded defaults.</summary>
    public Akka.Configuration.Config Build(params string[] moreOverrides) =>
        OgConfiguration.Build(Role, ConfigFile, [.. moreOverrides, CommandLineHocon, EnvironmentHocon]);

    public static string Usage(string program, NodeRole role)
    {
        var text = new StringBuilder();
        text.AppendLine($"usage: {program} [--config FILE] [options]");
        text.AppendLine($"  {"--config FILE",-26} site configuration file (HOCON) over the embedded defaults [OG_CONFIG]");
        foreach (var o in NodeOptions.For(role))
            text.AppendLine($"  {o.Flag + " VALUE",-26} {o.Help} [{o.Env}]");
        text.AppendLine($"  {"--set PATH=VALUE",-26} any other setting, as HOCON (repeatable)");
        return text.ToString();
    }

    private static string Render(NodeOption option, IReadOnlyList<string> values)
    {
        var name = option.Flag;
        return option.Kind switch
        {
            OptionKind.Text => $"{option.Path} = {OgConfiguration.Quote(values[^1])}",
            OptionKind.Number => int.TryParse(values[^1], out var n) && n >= 0
                ? $"{option.Path} = {n}"
                : throw new SettingsException($"{name} must be a whole number, got '{values[^1]}'."),
            OptionKind.Size => $"{option.Path} = {OgConfiguration.Quote(SizeText(name, values[^1]))}",
            OptionKind.List => $"{option.Path} = [{string.Join(", ", values.Select(OgConfiguration.Quote))}]",
            OptionKind.Partitions => $"{option.Path} = [{string.Join(", ", values.Select(v => Partition(name, v)))}]",
            _ => throw new ArgumentOutOfRangeException(nameof(option)),
        };
    }

    private static string SizeText(string name, string value) =>
        ByteSize.TryParse(value, out _) ? value : throw new SettingsException($"{name} must be a size such as 512MiB or 50GiB, got '{value}'.");

    private static string Partition(string name, string value)
    {
        var at = value.IndexOf('=');
        if (at <= 0 || !int.TryParse(value[..at], out var number) || number < 1 || at == value.Length - 1)
            throw new SettingsException($"{name} expects NUMBER=DEVICE (e.g. 1=/dev/sda1), got '{value}'.");
        return $"{{ number = {number}, device = {OgConfiguration.Quote(value[(at + 1)..])} }}";
    }
}
