using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using OgActors.Hosting.Uploads;
using OgActors.Messages.Repositories;
using OgActors.Repository.Tests.Support;

namespace OgActors.Repository.Tests.Unicast;

/// <summary>The unicast HTTP service on real Kestrel: resume with Range, ETag, sidecars, refusals, uploads.</summary>
public sealed class UnicastServiceTests : RepositoryTestBase
{
    [Fact]
    public async Task An_interrupted_download_resumes_with_Range_and_matches_the_full_sum()
    {
        var image = ArriveByRename(TestImages.Lzop(1), "win10");
        var available = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "win10");
        var expected = await File.ReadAllBytesAsync(image);

        var head = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/images/win10.img"));
        head.StatusCode.Should().Be(HttpStatusCode.OK);
        head.Content.Headers.ContentLength.Should().Be(expected.Length);
        head.Headers.ETag!.Tag.Should().Be($"\"{available.FullSum}\"");
        head.Headers.AcceptRanges.Should().Contain("bytes");

        // The first attempt breaks off after some bytes.
        var partial = new MemoryStream();
        using (var first = await Http.GetAsync("/images/win10.img", HttpCompletionOption.ResponseHeadersRead))
        await using (var body = await first.Content.ReadAsStreamAsync())
        {
            var buffer = new byte[64 * 1024];
            while (partial.Length < expected.Length / 3)
            {
                var read = await body.ReadAsync(buffer);
                if (read == 0) break;
                partial.Write(buffer, 0, read);
            }
        }
        partial.Length.Should().BeLessThan(expected.Length);

        // The resume asks for the rest only, conditioned on the same version (If-Range = the ETag).
        var resume = new HttpRequestMessage(HttpMethod.Get, "/images/win10.img");
        resume.Headers.Range = new RangeHeaderValue(partial.Length, null);
        resume.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue($"\"{available.FullSum}\""));
        using var rest = await Http.SendAsync(resume);
        rest.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        rest.Content.Headers.ContentRange!.From.Should().Be(partial.Length);
        partial.Write(await rest.Content.ReadAsByteArrayAsync());

        partial.ToArray().Should().Equal(expected);
        Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(partial.ToArray())).Should().Be(available.FullSum);
    }

    [Fact]
    public async Task Sidecars_are_served_beside_the_image()
    {
        var image = ArriveByRename(TestImages.Lzop(2), "ubuntu", folder: "aula1");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "ubuntu");
        (await Http.GetStringAsync("/images/aula1/ubuntu.img.full.sum")).Should().Be(await File.ReadAllTextAsync(image + ".full.sum"));
        (await Http.GetStringAsync("/images/aula1/ubuntu.img.sum")).Should().Be(await File.ReadAllTextAsync(image + ".sum"));
        (await Http.GetByteArrayAsync("/images/aula1/ubuntu.img.torrent")).Should().Equal(await File.ReadAllBytesAsync(image + ".torrent"));
        (await Http.GetStringAsync("/images/aula1/ubuntu.img.info.json")).Should().Contain("PARTCLONE:LZOP:EXTFS");
        (await Http.GetStringAsync("/images")).Should().Contain("\"canonicalName\":\"ubuntu\"");
    }

    [Theory]
    [InlineData("/images/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/images/%2E%2E/%2E%2E/etc/passwd")]
    [InlineData("/images/aula1/../../secret.img")]
    [InlineData("/images/a/b/c.img")]
    [InlineData("/images/secret.txt")]
    [InlineData("/images/ready.img.lock")]
    [InlineData("/images/.ready.img.part")]
    [InlineData("/images/ready.img.ant")]
    [InlineData("/images/copying.img.part")]
    [InlineData("/images/copying.img")]
    [InlineData("/images/locked.img")]
    [InlineData("/images/growing.img")]
    public async Task Traversal_and_unincorporated_files_are_refused(string url)
    {
        File.WriteAllText(Path.Combine(Scratch, "secret.img"), "TOP-SECRET-CONTENT");
        File.WriteAllText(Path.Combine(ImagesDirectory, "secret.txt"), "TOP-SECRET-CONTENT");
        ArriveByRename(TestImages.Lzop(1), "ready");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "ready");
        File.Copy(TestImages.Lzop(1), Path.Combine(ImagesDirectory, "copying.img.part"));
        File.WriteAllText(Path.Combine(ImagesDirectory, "locked.img.lock"), "");
        File.Copy(TestImages.Lzop(1), Path.Combine(ImagesDirectory, "locked.img"));
        await File.WriteAllBytesAsync(Path.Combine(ImagesDirectory, "growing.img"), new byte[100_000]); // still settling

        using var response = await Http.GetAsync(url);
        response.StatusCode.Should().BeOneOf(HttpStatusCode.NotFound, HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("TOP-SECRET").And.NotContain("partclone");
    }

    [Fact]
    public async Task An_upload_is_verified_renamed_and_incorporated()
    {
        var source = TestImages.Lzop(3);
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(source));
        var request = new HttpRequestMessage(HttpMethod.Put, "/images/captured.img") { Content = content };
        request.Headers.Add("X-Og-Full-Sum", Tool.Md5Sum(source));
        request.Headers.Add(UploadCapability.Header, CapabilityFor("captured", "pc07", "S-42"));
        using var response = await Http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());

        var available = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "captured");
        available.FullSum.Should().Be(Tool.Md5Sum(source));
        available.UploadedBy.Should().Be("pc07 in session S-42");

        // A wrong sum is refused and leaves nothing.
        var wrong = new HttpRequestMessage(HttpMethod.Put, "/images/other.img") { Content = new ByteArrayContent(await File.ReadAllBytesAsync(source)) };
        wrong.Headers.Add("X-Og-Full-Sum", new string('0', 32));
        wrong.Headers.Add(UploadCapability.Header, CapabilityFor("other"));
        (await Http.SendAsync(wrong)).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        // Something that is not an image is refused and leaves nothing.
        var junk = new HttpRequestMessage(HttpMethod.Put, "/images/junk.img") { Content = new ByteArrayContent(new byte[200_000]) };
        junk.Headers.Add(UploadCapability.Header, CapabilityFor("junk"));
        using var junkResponse = await Http.SendAsync(junk);
        junkResponse.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await junkResponse.Content.ReadAsStringAsync()).Should().NotContain(ImagesDirectory).And.NotContain(".tmp");
        File.Exists(Path.Combine(ImagesDirectory, "other.img")).Should().BeFalse();
        File.Exists(Path.Combine(ImagesDirectory, "junk.img")).Should().BeFalse();
        Directory.GetFiles(ImagesDirectory, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public async Task An_upload_that_breaks_off_leaves_no_image()
    {
        var uri = new Uri(BaseUrl);
        var payload = await File.ReadAllBytesAsync(TestImages.Lzop(4));
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(uri.Host, uri.Port);
            var stream = client.GetStream();
            var header = $"PUT /images/broken.img HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Length: {payload.Length}\r\n{UploadCapability.Header}: {CapabilityFor("broken")}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(header));
            await stream.WriteAsync(payload.AsMemory(0, payload.Length / 2));
            await stream.FlushAsync();
            await Task.Delay(300);
            client.Client.LingerState = new LingerOption(true, 0);
        } // the connection drops mid-body

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Directory.GetFiles(ImagesDirectory, "*", SearchOption.AllDirectories).Length > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Directory.GetFiles(ImagesDirectory, "*", SearchOption.AllDirectories).Should().BeEmpty("neither broken.img nor its temporary file may stay");
        await Task.Delay(Settings.RescanInterval);
        View.Entries.Should().BeEmpty();
    }
}
