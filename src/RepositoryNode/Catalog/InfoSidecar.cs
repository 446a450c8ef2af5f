using System.Text.Json;
using OgActors.Messages.Repositories;

namespace OgActors.RepositoryNode.Catalog;

/// <summary>
/// NAME.img.info.json: what inspection found plus the sums, for the version of NAME.img with this identity (size,
/// modification time, change time, device and inode). Lets a restarted repository trust its earlier work instead of
/// verifying and hashing everything again — only for a file whose whole identity is still the recorded one
/// (<see cref="Describes"/>); a sidecar written before the change time and inode were recorded describes no file.
/// </summary>
public sealed record InfoSidecar(
    string CanonicalName,
    long Size,
    DateTimeOffset ModifiedAt,
    ImageFileInfo Info,
    string Sum,
    string FullSum,
    string InfoHash,
    DateTimeOffset IncorporatedAt,
    JsonElement? Inspection = null,
    DateTimeOffset? ChangedAt = null,
    long? Device = null,
    long? Inode = null)
{
    /// <summary>True when <paramref name="stamp"/> is the very version of the file this sidecar was written for.</summary>
    public bool Describes(FileStamp stamp) =>
        Size == stamp.Size && ModifiedAt == stamp.ModifiedAt && ChangedAt == stamp.ChangedAt && Device == stamp.Device && Inode == stamp.Inode;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task WriteAsync(string path, InfoSidecar info, CancellationToken ct)
    {
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(info, Json), ct);
        File.Move(temporary, path, overwrite: true);
    }

    public static InfoSidecar? TryRead(string path)
    {
        try { return File.Exists(path) ? JsonSerializer.Deserialize<InfoSidecar>(File.ReadAllBytes(path), Json) : null; }
        catch (Exception e) when (e is JsonException or IOException) { return null; }
    }

    public static JsonElement Serialize<T>(T value) => JsonSerializer.SerializeToElement(value, Json);
}
