using System.Text.Json;
using OgActors.Hosting.Uploads;
using OgActors.RepositoryNode.Catalog;

namespace OgActors.RepositoryNode.Unicast;

/// <summary>
/// <c>NAME.img.upload.json</c>: who uploaded the file NAME.img holds (computer and session, from the verified capability)
/// and its full MD5, so the record is only believed for that content. Incorporation reads it into
/// <c>ImageFileAvailable.UploadedBy</c>; the coordinator's audit shows it.
/// </summary>
public sealed record UploadRecord(string Computer, string Session, string FullSum, DateTimeOffset At)
{
    public const string Suffix = ".upload.json";

    public static string PathOf(ImageFiles files) => files.Image + Suffix;

    public static void Write(ImageFiles files, UploadCapability capability, string fullSum) =>
        File.WriteAllText(PathOf(files), JsonSerializer.Serialize(new UploadRecord(capability.Computer, capability.Session, fullSum, DateTimeOffset.UtcNow)));

    /// <summary>"pc01 in session S" when the record is for the file whose full MD5 is <paramref name="fullSum"/>; "" otherwise.</summary>
    public static string UploaderOf(ImageFiles files, string fullSum)
    {
        try
        {
            var record = JsonSerializer.Deserialize<UploadRecord>(File.ReadAllText(PathOf(files)));
            return record is not null && record.FullSum == fullSum ? $"{record.Computer} in session {record.Session}" : "";
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { return ""; }
    }
}
