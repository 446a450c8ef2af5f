using System.Text.Json;

namespace OgActors.Ctl.Api;

/// <summary>Where the coordinator's API is and the token to use, and where that came from (for error messages).</summary>
/// <param name="CaFile">A PEM CA certificate to trust for an https:// API (--ca, OG_CA); "" = the system's trust store.</param>
public sealed record ApiEndpoint(Uri Url, string Token, string Source, string TokenSource, string CaFile = "")
{
    /// <summary>
    /// Resolution order: <c>--api</c>/<c>--token</c>, then <c>OG_API</c>/<c>OG_TOKEN</c>, then the lab.json of the default
    /// lab (<c>OG_LAB</c>, else <c>.lab/</c> in the source tree, else <c>$XDG_STATE_HOME/ogactors/lab</c>).
    /// </summary>
    public static ApiEndpoint Resolve(string? apiOption, string? tokenOption, CtlEnvironment env, string? caOption = null)
    {
        var api = Blank(apiOption);
        var source = "--api";
        if (api is null && Blank(env.Variable("OG_API")) is { } envApi) (api, source) = (envApi, "OG_API");
        var token = Blank(tokenOption);
        var tokenSource = "--token";
        if (token is null && Blank(env.Variable("OG_TOKEN")) is { } envToken) (token, tokenSource) = (envToken, "OG_TOKEN");
        if (api is null || token is null)
        {
            var labFile = Path.Combine(env.LabDir, "lab.json");
            if (File.Exists(labFile))
            {
                var (labApi, labToken) = ReadLab(labFile);
                if (api is null && labApi is not null) (api, source) = (labApi, labFile);
                if (token is null && labToken is not null) (token, tokenSource) = (labToken, labFile);
            }
        }
        if (api is null)
            throw new CtlException($"No API to talk to: give --api URL (or OG_API), or start the lab with ./run.sh lab (no {Path.Combine(env.LabDir, "lab.json")} found).", 2);
        if (token is null)
            throw new CtlException("No API token: give --token TOKEN (or OG_TOKEN).", 2);
        if (!Uri.TryCreate(api, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new CtlException($"The API address '{api}' is not an http:// or https:// URL.", 2);
        var ca = Blank(caOption) ?? Blank(env.Variable("OG_CA")) ?? "";
        if (ca.Length > 0 && !File.Exists(ca))
            throw new CtlException($"The CA file {ca} (from {(Blank(caOption) is null ? "OG_CA" : "--ca")}) does not exist.", 2);
        return new ApiEndpoint(url, token, source, tokenSource, ca);
    }

    private static (string? Api, string? Token) ReadLab(string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var root = doc.RootElement;
            return (root.TryGetProperty("apiUrl", out var a) ? a.GetString() : null,
                    root.TryGetProperty("apiToken", out var t) ? t.GetString() : null);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new CtlException($"Cannot read {file}: {e.Message}");
        }
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
