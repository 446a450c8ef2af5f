using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using OgActors.Hosting.Uploads;
using OgActors.Imaging.Inspection;
using OgActors.RepositoryNode.Catalog;

namespace OgActors.RepositoryNode.Unicast;

/// <summary>
/// PUT/POST /images/[OU/]NAME.img — a capture arriving. Only with the <see cref="UploadCapability"/> the coordinator
/// issued for the create-image job (header <see cref="UploadCapability.Header"/>): signed with a coordinator's upload
/// secret, for exactly this image and repository, not expired. Without it: 401/403 with one sentence, logged, and not
/// a byte read or written. The body is streamed to a temporary name (never *.img), stopped as soon as it passes the
/// capability's size limit (413), verified (length against Content-Length, MD5 against <c>X-Og-Full-Sum</c> when
/// given, inspection), and only then renamed to NAME.img; a replaced NAME.img is kept as NAME.img.ant as OpenGnsys
/// does. An upload that breaks off, or fails a check, leaves nothing behind. The uploader (computer and session) is
/// recorded beside the image (<see cref="UploadRecord"/>). Replies never name a server path.
/// </summary>
public static class UploadReceiver
{
    public const string FullSumHeader = "X-Og-Full-Sum";

    public static async Task<IResult> ReceiveAsync(HttpContext context, CatalogView catalog, UploadKeys keys, string repository, string? path, ILogger log)
    {
        if (UnicastPath.Parse(path) is not { IsImage: true } target)
            return UnicastEndpoints.Problem(StatusCodes.Status400BadRequest, $"'{path}' is not an image to upload: use NAME.img or OU/NAME.img.");
        var token = context.Request.Headers[UploadCapability.Header].ToString();
        var (capability, refusal) = UploadCapability.Verify(token, keys.Secrets, target.Key.Folder, target.Key.Name, repository, DateTimeOffset.UtcNow);
        if (capability is null)
        {
            log.LogWarning("Upload of {Image} from {Client} refused: {Reason}", target.Key, context.Connection.RemoteIpAddress, refusal);
            return UnicastEndpoints.Problem(token.Length == 0 ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden, refusal!);
        }
        if (context.Request.ContentLength is { } announced && announced > capability.MaxBytes)
            return TooLarge(log, target.Key, capability, $"announces {announced} bytes");

        var files = new ImageFiles(catalog.ImagesDirectory, target.Key);
        if (File.Exists(files.Lock))
            return UnicastEndpoints.Problem(StatusCodes.Status409Conflict, $"Image {target.Key} is locked; it cannot be replaced now.");
        var expectedSum = context.Request.Headers[FullSumHeader].ToString().Trim().ToLowerInvariant();
        if (expectedSum.Length > 0 && (expectedSum.Length != 32 || !expectedSum.All(char.IsAsciiHexDigit)))
            return UnicastEndpoints.Problem(StatusCodes.Status400BadRequest, $"{FullSumHeader} must be an MD5 in hex.");

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        var temporary = files.TemporaryName("upload");
        var ct = context.RequestAborted;
        try
        {
            Directory.CreateDirectory(files.Directory);
            long received = 0;
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 20];
                int read;
                while ((read = await context.Request.Body.ReadAsync(buffer, ct)) > 0)
                {
                    received += read;
                    if (received > capability.MaxBytes) return TooLarge(log, target.Key, capability, $"went past {capability.MaxBytes} bytes");
                    md5.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            if (context.Request.ContentLength is { } length && length != received)
                return UnicastEndpoints.Problem(StatusCodes.Status400BadRequest, $"The upload of {target.Key} broke off after {received} of {length} bytes; nothing was kept.");
            var actual = Convert.ToHexStringLower(md5.GetHashAndReset());
            if (expectedSum.Length > 0 && actual != expectedSum)
                return UnicastEndpoints.Problem(StatusCodes.Status422UnprocessableEntity, $"The upload of {target.Key} does not match its {FullSumHeader} (expected {expectedSum}, received {actual}); nothing was kept.");

            PartitionImageInfo info;
            try
            {
                var found = ImageInspector.Inspect(temporary);
                info = found.Count == 1 ? found[0] : throw new ImageFormatException($"The upload holds {found.Count} partition images, not one.");
            }
            catch (ImageFormatException e)
            {
                // The inspector names the file it read: the temporary path, which is the server's business.
                var sentence = e.Message.Replace(temporary, target.FileName).Replace(catalog.ImagesDirectory, "");
                return UnicastEndpoints.Problem(StatusCodes.Status422UnprocessableEntity, $"The upload of {target.Key} is not a usable image: {sentence}");
            }

            if (File.Exists(files.Image)) PreviousVersion.Keep(files);
            UploadRecord.Write(files, capability, actual);
            File.Move(temporary, files.Image, overwrite: false);
            log.LogInformation("Upload of {Image} received from {Uploader}: {Bytes} bytes, {OgLine}", target.Key, capability.Uploader, received, info.OgLine);
            return Results.Json(new { name = target.Key.Name, folder = target.Key.Folder, size = received, fullSum = actual, ogLine = info.OgLine },
                UnicastEndpoints.Json, statusCode: StatusCodes.Status201Created);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException or UnauthorizedAccessException)
        {
            log.LogWarning("Upload of {Image} broke off: {Reason}", target.Key, e.Message);
            return UnicastEndpoints.Problem(e is UnauthorizedAccessException ? StatusCodes.Status500InternalServerError : StatusCodes.Status400BadRequest,
                e is UnauthorizedAccessException
                    ? $"The repository cannot write image {target.Key} (permission denied); nothing was kept."
                    : $"The upload of {target.Key} broke off; nothing was kept.");
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static IResult TooLarge(ILogger log, ImageKey key, UploadCapability capability, string what)
    {
        log.LogWarning("Upload of {Image} from {Uploader} refused: it {What}, its capability allows {Max} bytes", key, capability.Uploader, what, capability.MaxBytes);
        return UnicastEndpoints.Problem(StatusCodes.Status413PayloadTooLarge,
            $"The upload of {key} is larger than its capability allows ({capability.MaxBytes} bytes); nothing was kept.");
    }
}
