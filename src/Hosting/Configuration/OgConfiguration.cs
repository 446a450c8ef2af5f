using System.Reflection;
using Akka.Configuration;

namespace OgActors.Hosting.Configuration;

/// <summary>
/// Builds a node's configuration from its layers, lowest first: the embedded hocon/base.hocon, the embedded
/// hocon/&lt;role&gt;.hocon, an optional site file, then overrides (environment, command line, code).
/// </summary>
public static class OgConfiguration
{
    /// <summary>The text of an embedded hocon/ file ("base", "coordinator", "repository", "client").</summary>
    public static string Embedded(string name)
    {
        var resource = $"hocon/{name}.hocon";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded configuration '{resource}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The embedded defaults of a role, without any site file or override.</summary>
    public static Config Defaults(NodeRole role) =>
        ConfigurationFactory.ParseString(Embedded(role.HoconName()))
            .WithFallback(ConfigurationFactory.ParseString(Embedded("base")));

    /// <summary>
    /// Layers <paramref name="overrides"/> (highest first) over the site file over the role's embedded defaults.
    /// </summary>
    public static Config Build(NodeRole role, string? siteFile, params string[] overrides)
    {
        var config = Defaults(role);
        if (!string.IsNullOrWhiteSpace(siteFile))
        {
            if (!File.Exists(siteFile)) throw new SettingsException($"The configuration file '{siteFile}' does not exist.");
            config = Parse(File.ReadAllText(siteFile), $"the configuration file '{siteFile}'").WithFallback(config);
        }
        foreach (var layer in overrides.Reverse().Where(o => !string.IsNullOrWhiteSpace(o)))
            config = Parse(layer, "the command-line or environment settings").WithFallback(config);
        return config;
    }

    private static Config Parse(string hocon, string what)
    {
        try
        {
            return ConfigurationFactory.ParseString(hocon);
        }
        catch (Exception e)
        {
            throw new SettingsException($"Cannot read {what}: {e.Message.Split('\n')[0].Trim()}");
        }
    }

    /// <summary>A string as a quoted HOCON value.</summary>
    public static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
}
