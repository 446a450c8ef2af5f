using System.Text.Json;
using OgActors.Messages.Profiles;
using OgActors.RepositoryNode.Catalog;

namespace OgActors.RepositoryNode.Profiles;

/// <summary>
/// NAME.img.profile.json beside the image: the last profile read from it, with the full sum of the content it was
/// read from (a profile whose sum is not the image's current <c>.full.sum</c> is stale and never announced).
/// Written under a temporary name and renamed, so it is whole or absent.
/// </summary>
public static class ProfileSidecar
{
    public const string Suffix = ".profile.json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static string PathOf(ImageFiles files) => files.Image + Suffix;

    public static async Task WriteAsync(ImageFiles files, SoftwareProfile profile, CancellationToken ct)
    {
        var temporary = files.TemporaryName("profile");
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(profile, Json), ct);
        File.Move(temporary, PathOf(files), overwrite: true);
    }

    /// <summary>The profile recorded for content <paramref name="fullSum"/>, or null (absent, unreadable, or of another content).</summary>
    public static SoftwareProfile? TryRead(ImageFiles files, string fullSum)
    {
        try
        {
            var profile = JsonSerializer.Deserialize<SoftwareProfile>(File.ReadAllText(PathOf(files)), Json);
            return profile is not null && profile.FullSum.Equals(fullSum, StringComparison.OrdinalIgnoreCase) ? profile : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The image's current full sum (<c>NAME.img.full.sum</c>), or null.</summary>
    public static string? CurrentFullSum(ImageFiles files)
    {
        try { return File.ReadAllText(files.FullSum).Split(' ', '\n', '\t')[0].Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
