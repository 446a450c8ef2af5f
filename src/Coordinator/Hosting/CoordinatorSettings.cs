using System.Security.Cryptography;
using Akka.Configuration;
using OgActors.Coordinator.Api;
using OgActors.Hosting.Configuration;

namespace OgActors.Coordinator.Hosting;

/// <summary>The coordinator's own settings (<c>og.coordinator</c>): where the operator API listens and its bearer token.</summary>
public sealed record CoordinatorSettings(Uri ApiUrl, string ApiToken)
{
    /// <summary>Operators with their own tokens (<c>og.coordinator.api.operators { alice = "TOKEN" }</c>): token → identity.
    /// The main <see cref="ApiToken"/> is the identity "admin". Every event records who made it.</summary>
    public IReadOnlyDictionary<string, string> Operators { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The operators configured in hocon, as the API keeps them (hashes only): "admin" (the main token, role admin), every
    /// <c>operators { NAME = "TOKEN" }</c> (role admin, as before roles existed), <c>operators { NAME = "sha256:HEX" }</c>
    /// (admin, only the hash in the config) and <c>operators { NAME { role = viewer, token-hash = "sha256:HEX" } }</c>.
    /// </summary>
    public IReadOnlyList<ApiOperator> ConfiguredOperators { get; init; } = [];

    /// <summary>The operators file (<see cref="OperatorsFile"/>): <c>og.coordinator.api.operators-file</c>, default DATA-DIR/operators.</summary>
    public string OperatorsFilePath { get; init; } = "";

    /// <summary>PEM certificate and key of the API's HTTPS (<c>og.coordinator.api.tls.certificate/key</c>); required for an https:// URL.</summary>
    public string TlsCertificate { get; init; } = "";
    public string TlsKey { get; init; } = "";

    public const string TokenFile = "api-token";
    public const string DefaultOperatorsFile = "operators";

    public static CoordinatorSettings From(Config config, NodeSettings node)
    {
        var url = config.GetString("og.coordinator.api.url", "");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new SettingsException($"og.coordinator.api.url must be an http:// address such as http://127.0.0.1:5480, got '{url}'.");
        var token = config.GetString("og.coordinator.api.token", "");
        var operators = new Dictionary<string, string>(StringComparer.Ordinal);
        var configured = new List<ApiOperator>();
        if (config.HasPath("og.coordinator.api.operators"))
            foreach (var (entryKey, value) in config.GetConfig("og.coordinator.api.operators").AsEnumerable())
            {
                var name = entryKey.Trim('"');
                if (value.IsObject())
                {
                    var entry = value.GetObject();
                    var roleText = entry.GetKey("role")?.GetString() ?? "";
                    var hashText = entry.GetKey("token-hash")?.GetString() ?? "";
                    var role = OperatorDirectory.ParseRole(roleText)
                        ?? throw new SettingsException($"og.coordinator.api.operators.{name}.role must be admin or viewer, not '{roleText}'.");
                    var hash = OperatorDirectory.ParseHash(hashText.Trim())
                        ?? throw new SettingsException($"og.coordinator.api.operators.{name}.token-hash must be sha256: and 64 hex digits (ogctl operator add prints it).");
                    configured.Add(new ApiOperator(name, role, hash));
                    continue;
                }
                var secret = value.GetString()?.Trim() ?? "";
                if (OperatorDirectory.ParseHash(secret) is { } stored) { configured.Add(new ApiOperator(name, OperatorRole.Admin, stored)); continue; }
                if (secret.Length < 16)
                    throw new SettingsException($"og.coordinator.api.operators.{name} must be a token of at least 16 characters.");
                operators[secret] = name;
                configured.Add(new ApiOperator(name, OperatorRole.Admin, OperatorDirectory.Hash(secret)));
            }
        var apiToken = string.IsNullOrWhiteSpace(token) ? StoredToken(node) : token.Trim();
        configured.Insert(0, new ApiOperator("admin", OperatorRole.Admin, OperatorDirectory.ParseHash(apiToken) ?? OperatorDirectory.Hash(apiToken)));

        var operatorsFile = config.GetString("og.coordinator.api.operators-file", "");
        operatorsFile = string.IsNullOrWhiteSpace(operatorsFile) ? Path.Combine(node.DataDir, DefaultOperatorsFile) : Path.GetFullPath(operatorsFile);
        new OperatorsFile(operatorsFile).Read(); // a bad file stops the start with its line

        var certificate = config.GetString("og.coordinator.api.tls.certificate", "").Trim();
        var key = config.GetString("og.coordinator.api.tls.key", "").Trim();
        if (uri.Scheme == "https" && (certificate.Length == 0 || key.Length == 0))
            throw new SettingsException("An https:// API needs og.coordinator.api.tls.certificate and og.coordinator.api.tls.key (PEM files; see 'ogctl pki').");
        foreach (var file in new[] { certificate, key }.Where(f => f.Length > 0))
            if (!File.Exists(file)) throw new SettingsException($"The API's TLS file {file} does not exist.");

        return new CoordinatorSettings(uri, apiToken)
        {
            Operators = operators, ConfiguredOperators = configured, OperatorsFilePath = operatorsFile,
            TlsCertificate = certificate, TlsKey = key,
        };
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
