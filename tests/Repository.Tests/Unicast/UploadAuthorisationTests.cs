using System.Net;
using OgActors.Coordinator.Sessions;
using OgActors.Hosting.Uploads;
using OgActors.Messages.Repositories;
using OgActors.Repository.Tests.Support;

namespace OgActors.Repository.Tests.Unicast;

/// <summary>
/// Only authorised uploads, over real HTTP against the real unicast service: without the capability the coordinator
/// issued for the create-image job (plain PUT, <c>curl -T</c>), with one for another image, a forged or expired one,
/// or past its size limit, nothing is written and an existing NAME.img stays as it was. No reply names a server path.
/// </summary>
public sealed class UploadAuthorisationTests : RepositoryTestBase
{
    private static HttpRequestMessage Put(string url, byte[] body, string? capability = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(body) };
        if (capability is not null) request.Headers.Add(UploadCapability.Header, capability);
        return request;
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        body.Should().NotContain(ImagesDirectory).And.NotContain(Path.GetTempPath());
        return (response.StatusCode, body);
    }

    private string[] FilesInRepository() => Directory.GetFiles(ImagesDirectory, "*", SearchOption.AllDirectories);

    private async Task<(string Path, byte[] Bytes, string[] Files)> ExistingImageAsync(string name)
    {
        var path = ArriveByRename(TestImages.Lzop(2), name);
        await WaitForStateAsync(name, ImageFileState.Ready);
        return (path, await File.ReadAllBytesAsync(path), FilesInRepository());
    }

    [Fact]
    public async Task A_plain_put_without_capability_is_refused_and_writes_nothing()
    {
        var image = await File.ReadAllBytesAsync(TestImages.Lzop(3));
        var (status, body) = await SendAsync(Put("/images/x.img", image));
        status.Should().Be(HttpStatusCode.Unauthorized);
        body.Should().Contain("needs the capability the coordinator issued for its create-image job");
        FilesInRepository().Should().BeEmpty();

        // Nor may it replace an image that is already there.
        var (path, before, files) = await ExistingImageAsync("win10");
        (await SendAsync(Put("/images/win10.img", image))).Status.Should().Be(HttpStatusCode.Unauthorized);
        (await File.ReadAllBytesAsync(path)).Should().Equal(before);
        FilesInRepository().Should().BeEquivalentTo(files, "no temporary file, no .ant, nothing new");
    }

    [Fact]
    public async Task Curl_T_without_capability_is_refused_and_writes_nothing()
    {
        var (path, before, files) = await ExistingImageAsync("x");
        var replacement = TestImages.Lzop(4);
        foreach (var name in new[] { "x", "y" })
        {
            var output = Path.Combine(Scratch, $"curl-{name}.json");
            var status = Tool.Run($"curl -sS -o {Tool.Quote(output)} -w '%{{http_code}}' -T {Tool.Quote(replacement)} {BaseUrl.TrimEnd('/')}/images/{name}.img").Trim();
            status.Should().Be("401");
            (await File.ReadAllTextAsync(output)).Should().Contain("needs the capability").And.NotContain(ImagesDirectory);
        }
        (await File.ReadAllBytesAsync(path)).Should().Equal(before);
        FilesInRepository().Should().BeEquivalentTo(files);
    }

    [Fact]
    public async Task A_capability_for_another_image_a_forged_or_an_expired_one_is_refused()
    {
        var (path, before, files) = await ExistingImageAsync("win10");
        var image = await File.ReadAllBytesAsync(TestImages.Lzop(3));
        var forged = new UploadCapabilityIssuer(Uploads with { Secret = UploadCapability.NewSecret() });
        var refusals = new[]
        {
            (CapabilityFor("win11"), "is for image win11, not win10"),
            (forged.Issue("S1", "pc01", "win10", Settings.Name, DateTimeOffset.UtcNow), "signature is not valid"),
            (Issuer.Issue("S1", "pc01", "win10", Settings.Name, DateTimeOffset.UtcNow - Uploads.CapabilityLifetime - TimeSpan.FromSeconds(1)), "expired"),
            (Issuer.Issue("S1", "pc01", "win10", "repo-elsewhere", DateTimeOffset.UtcNow), "is for repository repo-elsewhere"),
            ("not-a-capability", "malformed"),
        };
        foreach (var (capability, sentence) in refusals)
        {
            var (status, body) = await SendAsync(Put("/images/win10.img", image, capability));
            status.Should().Be(HttpStatusCode.Forbidden, body);
            body.Should().Contain(sentence);
        }
        // The one for win11 does not open ou1/win11 either.
        (await SendAsync(Put("/images/ou1/win11.img", image, CapabilityFor("win11")))).Status.Should().Be(HttpStatusCode.Forbidden);
        (await File.ReadAllBytesAsync(path)).Should().Equal(before);
        FilesInRepository().Should().BeEquivalentTo(files);
    }

    [Fact]
    public async Task An_upload_past_its_size_limit_is_stopped_and_writes_nothing()
    {
        var (path, before, files) = await ExistingImageAsync("win10");
        var image = await File.ReadAllBytesAsync(TestImages.Lzop(3));
        var small = new UploadCapabilityIssuer(Uploads with { MaxImageBytes = image.Length / 3 })
            .Issue("S1", "pc01", "win10", Settings.Name, DateTimeOffset.UtcNow);

        // Announced too large (Content-Length): refused before a byte is read.
        var (status, body) = await SendAsync(Put("/images/win10.img", image, small));
        status.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        body.Should().Contain("larger than its capability allows");

        // Streamed (chunked, no length): stopped when it goes past the limit.
        var chunked = new HttpRequestMessage(HttpMethod.Put, "/images/win10.img") { Content = new ChunkedContent(image) };
        chunked.Headers.Add(UploadCapability.Header, small);
        (await SendAsync(chunked)).Status.Should().Be(HttpStatusCode.RequestEntityTooLarge);

        (await File.ReadAllBytesAsync(path)).Should().Equal(before);
        FilesInRepository().Should().BeEquivalentTo(files);
        View.Entries.Should().ContainSingle();

        // The same bytes under a limit that fits are accepted.
        var fits = new UploadCapabilityIssuer(Uploads with { MaxImageBytes = image.Length }).Issue("S1", "pc01", "win10", Settings.Name, DateTimeOffset.UtcNow);
        var accepted = new HttpRequestMessage(HttpMethod.Put, "/images/win10.img") { Content = new ChunkedContent(image) };
        accepted.Headers.Add(UploadCapability.Header, fits);
        (await SendAsync(accepted)).Status.Should().Be(HttpStatusCode.Created);
        (await File.ReadAllBytesAsync(path)).Should().Equal(image);
    }

    [Fact]
    public async Task No_error_reply_of_the_unicast_service_names_a_server_path()
    {
        await ExistingImageAsync("win10");
        File.Delete(Path.Combine(ImagesDirectory, "win10.img.torrent"));
        var replies = new List<(HttpStatusCode, string)>
        {
            await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/images/unknown.img")),
            await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/images/win10.img.torrent")),
            await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/images/../etc/passwd")),
            await SendAsync(Put("/images/a/b/c.img", [1, 2, 3])),
            await SendAsync(Put("/images/junk.img", new byte[100_000], CapabilityFor("junk"))),
            await SendAsync(Put("/images/win10.img", [1], CapabilityFor("win10"))),
        };
        replies.Select(r => r.Item1).Should().OnlyContain(s => (int)s >= 400);
        replies.Select(r => r.Item2).Should().OnlyContain(b => !b.Contains(ImagesDirectory) && !b.Contains(".tmp"));
    }

    /// <summary>A body sent chunked (no Content-Length), as the capture pipeline sends it.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var at = 0; at < bytes.Length; at += 16 * 1024)
                await stream.WriteAsync(bytes.AsMemory(at, Math.Min(16 * 1024, bytes.Length - at)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
