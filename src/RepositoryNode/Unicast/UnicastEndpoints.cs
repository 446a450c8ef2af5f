using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using OgActors.RepositoryNode.Catalog;

namespace OgActors.RepositoryNode.Unicast;

/// <summary>
/// The repository's unicast HTTP service (Kestrel): incorporated images and their sidecars by canonical name,
/// with HEAD, Range (resume) and ETag = the image's full MD5; uploads for capture (only with the job's upload capability). Only images in the Ready state
/// whose file is still the one incorporated are served; partial, locked, processing or unknown files are not.
/// </summary>
public static class UnicastEndpoints
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Maps GET /images (the catalog), GET|HEAD /images/{path}, PUT|POST /images/{path}.</summary>
    /// <param name="keys">The coordinators' upload secrets (none = every upload refused).</param>
    /// <param name="repository">This repository's name, which an upload capability must name.</param>
    public static IEndpointRouteBuilder MapUnicastService(this IEndpointRouteBuilder app, CatalogView catalog, UploadKeys? keys = null, string repository = "")
    {
        keys ??= new UploadKeys();
        app.MapGet("/images", () => Results.Json(
            catalog.Entries.Values.OrderBy(e => e.Key.Folder).ThenBy(e => e.Key.Name).Select(e => e.ToMessage()), Json));

        app.MapMethods("/images/{**path}", [HttpMethods.Get, HttpMethods.Head], (string? path) => Serve(catalog, path));

        app.MapMethods("/images/{**path}", [HttpMethods.Put, HttpMethods.Post],
            (string? path, HttpContext context, ILoggerFactory logs) =>
                UploadReceiver.ReceiveAsync(context, catalog, keys, repository, path, logs.CreateLogger(typeof(UploadReceiver))));
        return app;
    }

    private static IResult Serve(CatalogView catalog, string? path)
    {
        if (UnicastPath.Parse(path) is not { } wanted)
            return Problem(StatusCodes.Status400BadRequest, $"'{path}' does not name an image: use NAME.img or OU/NAME.img (or a sidecar of it).");
        if (catalog.Servable(wanted.Key) is not { Sums: { } sums } entry)
            return Problem(StatusCodes.Status404NotFound, $"Image {wanted.Key} is not incorporated in this repository (unknown, being written, locked or still being processed).");

        var files = new ImageFiles(catalog.ImagesDirectory, wanted.Key);
        var file = Path.Combine(files.Directory, wanted.FileName);
        if (!File.Exists(file))
            return Problem(StatusCodes.Status404NotFound, $"{wanted.FileName} is missing in this repository.");

        return wanted.IsImage
            ? Results.File(file, "application/octet-stream", lastModified: entry.Stamp.ModifiedAt,
                entityTag: new EntityTagHeaderValue($"\"{sums.FullSum}\""), enableRangeProcessing: true)
            : Results.File(file, wanted.Suffix switch
            {
                ".torrent" => "application/x-bittorrent",
                ".info.json" => "application/json",
                _ => "text/plain",
            }, enableRangeProcessing: true);
    }

    internal static IResult Problem(int status, string sentence) => Results.Json(new { error = sentence }, Json, statusCode: status);
}
