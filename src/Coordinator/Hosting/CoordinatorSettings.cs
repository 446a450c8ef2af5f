using System.Security.Cryptography;
using Akka.Configuration;
using OgActors.Hosting.Configuration;

namespace OgActors.Coordinator.Hosting;

/// <summary>The coordinator's own settings (<c>og.coordinator</c>): where the operator API listens and its bearer token.</summary>
public sealed record CoordinatorSettings(Uri ApiUrl, string ApiToken)
{
    /// <summary>Operators with their own tokens (<c>og.coordinator.api.operators { alice = "TOKEN" }</c>): token → identity.
    /// The main <see cref="ApiToken"/> is the identity "admin". Every event records who made it.</summary>
    public IReadOnlyDictionary<string, string> Operators { get; init; } = new Dictionary<string, string>();

    /// <summary>Every accepted token and the identity it stands for.</summary>
    public IReadOnlyDictionary<string, string> Identities =>
        new Dictionary<string, string>(Operators) { [ApiToken] = "admin" };

    public const string TokenFile = "api-token";

    public static CoordinatorSettings From(Config config, NodeSettings node)
    {
        var url = config.GetString("og.coordinator.api.url", "");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new SettingsException($"og.coordinator.api.url must be an http:// address such as http://127.0.0.1:5480, got '{url}'.");
        var token = config.GetString("og.coordinator.api.token", "");
        var operators = new Dictionary<string, string>(StringComparer.Ordinal);
        if (config.HasPath("og.coordinator.api.operators"))
            foreach (var (name, value) in config.GetConfig("og.coordinator.api.operators").AsEnumerable())
            {
                var secret = value.GetString()?.Trim() ?? "";
                if (secret.Length < 16)
                    throw new SettingsException($"og.coordinator.api.operators.{name.Trim('"')} must be a token of at least 16 characters.");
                operators[secret] = name.Trim('"');
            }
        return new CoordinatorSettings(uri, string.IsNullOrWhiteSpace(token) ? StoredToken(node) : token.Trim()) { Operators = operators };
    }

    /// <summary>With no token configured, the coordinator makes one at first start and keeps it in its data dir (mode 0600).</summary>
    private static string StoredToken(NodeSettings node)
    {
        var path = Path.Combine(node.EnsureDataDir(), TokenFile);
        if (File.Exists(path))
        {
            var stored = File.ReadAllText(path).Trim();
            if (stored.Length > 0) return stored;
        }
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        File.WriteAllText(path, token + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return token;
    }
}
