using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OgActors.ClientNode.Cache;

namespace OgActors.ClientNode.Transfers;

/// <summary>
/// A repository's unicast HTTP service seen from a computer: describe an image (HEAD for size and ETag, its
/// <c>.sum</c>/<c>.full.sum</c> sidecars), download it whole or from an offset (Range + If-Range), upload a capture.
/// </summary>
public sealed class RepositoryClient(HttpClient http, string repository, Uri baseAddress)
{
    /// <summary>The header an upload carries its capability in (OgActors.Hosting.Uploads.UploadCapability.Header).</summary>
    public const string UploadCapabilityHeader = OgActors.Hosting.Uploads.UploadCapability.Header;

    public string Repository { get; } = repository;
    public Uri BaseAddress { get; } = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");

    /// <summary>The OU sub-folder of the repository's images directory the image is in ("" = the top level).</summary>
    public string Folder { get; init; } = "";

    public Uri ImageUri(string image, string suffix = "") => new(BaseAddress,
        $"images/{(Folder.Length > 0 ? Uri.EscapeDataString(Folder) + "/" : "")}{Uri.EscapeDataString(image)}.img{suffix}");

    /// <summary>The repository's copy of <paramref name="image"/>: size and sums; a <see cref="RepositoryException"/> when it does not serve it.</summary>
    public async Task<RepositoryImageFacts> DescribeAsync(string image, CancellationToken cancellationToken = default)
    {
        using var head = await SendAsync(new HttpRequestMessage(HttpMethod.Head, ImageUri(image)), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!head.IsSuccessStatusCode)
            throw Unavailable(head) ?? new RepositoryException(head.StatusCode == HttpStatusCode.NotFound
                ? $"Repository {Repository} does not serve image {image} (not incorporated there, or still being processed)."
                : $"Repository {Repository} answered {(int)head.StatusCode} for image {image}.");
        var size = head.Content.Headers.ContentLength
                   ?? throw new RepositoryException($"Repository {Repository} did not say how big image {image} is.");
        var sum = await SidecarAsync(image, ".sum", cancellationToken);
        var fullSum = await SidecarAsync(image, ".full.sum", cancellationToken);
        return new RepositoryImageFacts(image, size, sum, fullSum);
    }

    /// <summary>
    /// GETs <paramref name="image"/> from byte <paramref name="from"/> on, only if the repository's copy is still the one whose
    /// full MD5 is <paramref name="fullSum"/> (If-Range): the answer is 206 with the rest, or 200 with the whole (new) file.
    /// With <paramref name="answerWithin"/>, a repository that sends no answer in that time (a host switched off after the
    /// connection was made answers nothing) counts as gone: <see cref="RepositoryLostException"/>.
    /// </summary>
    public async Task<HttpResponseMessage> GetImageAsync(string image, long from, string fullSum, CancellationToken cancellationToken = default,
        TimeSpan? answerWithin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, ImageUri(image));
        if (from > 0)
        {
            request.Headers.Range = new RangeHeaderValue(from, null);
            request.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue($"\"{fullSum}\""));
        }
        HttpResponseMessage response;
        using (var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            if (answerWithin is { } limit && limit > TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan) answer.CancelAfter(limit);
            try
            {
                response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, answer.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && answer.IsCancellationRequested)
            {
                var why = $"no answer arrived for {answerWithin!.Value.TotalSeconds:0.#} s";
                throw new RepositoryLostException(Repository, why, $"Repository {Repository} at {BaseAddress} did not answer for image {image} ({why}).");
            }
        }
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.PartialContent or HttpStatusCode.RequestedRangeNotSatisfiable) return response;
        var unavailable = Unavailable(response);
        var error = await ErrorOf(response, cancellationToken);
        response.Dispose();
        throw unavailable ?? new RepositoryException($"Repository {Repository} refused to send image {image}: {error}");
    }

    /// <summary>The first <paramref name="length"/> bytes of <paramref name="image"/> (a Range GET: enough to inspect it, nothing more).</summary>
    public async Task<byte[]> GetHeadAsync(string image, int length, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ImageUri(image));
        request.Headers.Range = new RangeHeaderValue(0, length - 1);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw Unavailable(response) ?? new RepositoryException($"Repository {Repository} refused to send the head of image {image}: {await ErrorOf(response, cancellationToken)}");
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var head = new byte[length];
        await body.ReadExactlyAsync(head, cancellationToken);
        return head;
    }

    /// <summary>
    /// PUTs an image (streamed, chunked) as NAME.img with the job's upload <paramref name="capability"/> (header
    /// X-Og-Upload-Capability); a <see cref="RepositoryException"/> with the repository's sentence when refused.
    /// </summary>
    public async Task UploadAsync(string image, HttpContent content, string capability, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, ImageUri(image)) { Content = content };
        if (capability.Length > 0) request.Headers.TryAddWithoutValidation(UploadCapabilityHeader, capability);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new RepositoryException($"Repository {Repository} refused the upload of {image}: {await ErrorOf(response, cancellationToken)}");
    }

    /// <summary>The bytes of one sidecar of <paramref name="image"/> (e.g. <c>.torrent</c>); a <see cref="RepositoryException"/> when the repository has none.</summary>
    public async Task<byte[]> GetSidecarAsync(string image, string suffix, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, ImageUri(image, suffix)), HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode) throw new RepositoryException($"Repository {Repository} has no {suffix} for image {image}.");
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private async Task<string> SidecarAsync(string image, string suffix, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, ImageUri(image, suffix)), HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode) throw new RepositoryException($"Repository {Repository} has no {suffix} for image {image}.");
        var text = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        var word = text.Split([' ', '\t', '\n'], 2)[0].ToLowerInvariant();
        if (word.Length != 32 || !word.All(char.IsAsciiHexDigit)) throw new RepositoryException($"The {suffix} of image {image} in repository {Repository} is not an MD5.");
        return word;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            var why = RepositoryLostException.Clause(e);
            throw new RepositoryLostException(Repository, why, $"Repository {Repository} at {BaseAddress} cannot be reached ({why}).", e);
        }
    }

    /// <summary>
    /// An answer that says the repository is unavailable rather than refusing (502/503/504: a proxy or load balancer in front
    /// of a repository that is gone, or one shutting down) as a <see cref="RepositoryLostException"/>; null for any other answer.
    /// </summary>
    private RepositoryLostException? Unavailable(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
            ? new RepositoryLostException(Repository, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}",
                $"Repository {Repository} at {BaseAddress} is unavailable (HTTP {(int)response.StatusCode} {response.ReasonPhrase}).")
            : null;

    private static async Task<string> ErrorOf(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("error", out var error) && error.GetString() is { Length: > 0 } sentence) return sentence;
        }
        catch (JsonException) { }
        return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
    }
}
