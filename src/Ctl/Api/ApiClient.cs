using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace OgActors.Ctl.Api;

/// <summary>
/// The coordinator's operator API over HTTP. Every failure becomes a <see cref="CtlException"/> with one sentence:
/// unreachable, refused token, or the API's own JSON error.
/// </summary>
public sealed class ApiClient(ApiEndpoint endpoint) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly HttpClient _http = new(ApiTrust.Handler(endpoint))
    {
        BaseAddress = new Uri(endpoint.Url.ToString().TrimEnd('/') + "/"),
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", endpoint.Token) },
    };

    public ApiEndpoint Endpoint => endpoint;

    /// <summary>How long a request may take (30 s; set before the first request, e.g. unlimited for an import).</summary>
    public TimeSpan Timeout
    {
        get => _http.Timeout;
        set => _http.Timeout = value;
    }

    public Task<T> GetAsync<T>(string path, CancellationToken ct) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/')), ct);

    public Task<T> PostAsync<T>(string path, object body, CancellationToken ct) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = JsonContent.Create(body, options: Json) }, ct);

    public Task<T> DeleteAsync<T>(string path, CancellationToken ct) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Delete, path.TrimStart('/')), ct);

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new CtlException($"Cannot reach the coordinator API at {endpoint.Url} (from {endpoint.Source}); is the coordinator or the lab running?");
        }
        catch (HttpRequestException e)
        {
            throw new CtlException(ApiTrust.Explain(endpoint, e) ?? $"The request to {endpoint.Url} failed: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CtlException($"The coordinator API at {endpoint.Url} did not answer within {_http.Timeout.TotalSeconds:0} s.");
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return await response.Content.ReadFromJsonAsync<T>(Json, ct)
                           ?? throw new CtlException($"The coordinator API answered {request.RequestUri} with nothing.");
                }
                catch (JsonException)
                {
                    throw new CtlException($"The coordinator API answered {request.RequestUri} with something that is not the expected JSON.");
                }
            }
            var error = await ErrorSentence(response, ct);
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new CtlException($"The coordinator refused the token (from {endpoint.TokenSource}): {error}", 3),
                _ => new CtlException(error),
            };
        }
    }

    private static async Task<string> ErrorSentence(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var e) && e.GetString() is { } s) return s;
        }
        catch (JsonException) { }
        return $"The coordinator API answered {(int)response.StatusCode} {response.ReasonPhrase}.";
    }

    public void Dispose() => _http.Dispose();
}
