using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OgActors.Coordinator.Api;
using OgActors.Messages.Images;
using OgActors.Messages.Sessions;

namespace OgActors.Lab.Journey;

/// <summary>The operator's path into the coordinator: its HTTP API with the bearer token (what ogctl speaks).</summary>
public sealed class OperatorApi(string apiUrl, string token) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = new Uri(apiUrl.TrimEnd('/') + "/"),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
        Timeout = TimeSpan.FromSeconds(30),
    };

    private sealed record Accepted(string? Id);

    /// <summary>POSTs a command; returns the id the API answers with, or throws with the API's sentence.</summary>
    public async Task<string?> PostAsync(string path, object body, CancellationToken cancel)
    {
        using var response = await _http.PostAsJsonAsync("api/" + path, body, DomainApi.Json, cancel);
        var text = await response.Content.ReadAsStringAsync(cancel);
        if (!response.IsSuccessStatusCode) throw new JourneyException($"POST /api/{path} was refused ({(int)response.StatusCode}): {Sentence(text)}");
        return text.Length == 0 ? null : JsonSerializer.Deserialize<Accepted>(text, DomainApi.Json)?.Id;
    }

    public async Task<T> GetAsync<T>(string path, CancellationToken cancel)
    {
        using var response = await _http.GetAsync("api/" + path, cancel);
        var text = await response.Content.ReadAsStringAsync(cancel);
        if (!response.IsSuccessStatusCode) throw new JourneyException($"GET /api/{path} failed ({(int)response.StatusCode}): {Sentence(text)}");
        return JsonSerializer.Deserialize<T>(text, DomainApi.Json) ?? throw new JourneyException($"GET /api/{path} answered nothing.");
    }

    public Task<SessionView> SessionAsync(string id, CancellationToken cancel) => GetAsync<SessionView>($"sessions/{Uri.EscapeDataString(id)}", cancel);

    public Task<ImageView> ImageAsync(string canonical, CancellationToken cancel) => GetAsync<ImageView>($"images/{Uri.EscapeDataString(canonical)}", cancel);

    private static string Sentence(string body)
    {
        try { return JsonDocument.Parse(body).RootElement.GetProperty("error").GetString() ?? body; }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { return body.Length > 200 ? body[..200] : body; }
    }

    public void Dispose() => _http.Dispose();
}
