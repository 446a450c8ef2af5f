using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using OgActors.Imaging.Inspection;
using OgActors.RepositoryNode.Catalog;

namespace OgActors.RepositoryNode.Unicast;

/// <summary>
/// PUT/POST /images/[OU/]NAME.img — a capture arriving. The body is streamed to a temporary name (never *.img),
/// verified (length against Content-Length, MD5 against <c>X-Og-Full-Sum</c> when given, inspection), and only then
/// renamed to NAME.img; a replaced NAME.img is kept as NAME.img.ant as OpenGnsys does. An upload that breaks off,
/// or fails a check, leaves nothing behind. Incorporation then makes the sidecars.
/// </summary>
public static class UploadReceiver
{
    public const string FullSumHeader = "X-Og-Full-Sum";

    public static async Task<IResult> ReceiveAsync(HttpContext context, CatalogView catalog, string? path, ILogger log)
    {
        if (UnicastPath.Parse(path) is not { IsImage: true } target)
            return UnicastEndpoints.Problem(StatusCodes.Status400BadRequest, $"'{path}' is not an image to upload: use NAME.img or OU/NAME.img.");
        var files = new ImageFiles(catalog.ImagesDirectory, target.Key);
        if (File.Exists(files.Lock))
            return UnicastEndpoints.Problem(StatusCodes.Status409Conflict, $"Image {target.Key} is locked; it cannot be replaced now.");
        var expectedSum = context.Request.Headers[FullSumHeader].ToString().Trim().ToLowerInvariant();
        if (expectedSum.Length > 0 && (expectedSum.Length != 32 || !expectedSum.All(char.IsAsciiHexDigit)))
            return UnicastEndpoints.Problem(StatusCodes.Status400BadRequest, $"{FullSumHeader} must be an MD5 in hex.");

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        Directory.CreateDirectory(files.Directory);
        var temporary = files.TemporaryName("upload");
        var ct = context.RequestAborted;
        try
        {
            long received = 0;
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 20];
                int read;
                while ((read = await context.Request.Body.ReadAsync(buffer, ct)) > 0)
                {
                    md5.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), ct);
                    received += read;
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
                return UnicastEndpoints.Problem(StatusCodes.Status422UnprocessableEntity, $"The upload of {target.Key} is not a usable image: {e.Message}");
            }

            if (File.Exists(files.Image)) PreviousVersion.Keep(files);
            File.Move(temporary, files.Image, overwrite: false);
            log.LogInformation("Upload of {Image} received: {Bytes} bytes, {OgLine}", target.Key, received, info.OgLine);
            return Results.Json(new { name = target.Key.Name, folder = target.Key.Folder, size = received, fullSum = actual, ogLine = info.OgLine },
                UnicastEndpoints.Json, statusCode: StatusCodes.Status201Created);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            log.LogWarning("Upload of {Image} broke off: {Reason}", target.Key, e.Message);
            return UnicastEndpoints.Problem(StatusCodes.Status400BadRequest, $"The upload of {target.Key} broke off; nothing was kept.");
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
