using Akka.Configuration;
using OgActors.Hosting.Configuration;

namespace OgActors.RepositoryNode.Hosting;

/// <summary>A repository's own settings (<c>og.repository</c>): its name, its images directory, its HTTP service address.</summary>
public sealed record RepositorySettings(string Name, string ImagesDir, Uri HttpUrl)
{
    public static RepositorySettings From(Config config, NodeSettings node)
    {
        var name = config.GetString("og.repository.name", "");
        if (string.IsNullOrWhiteSpace(name)) name = node.Hostname;
        var images = config.GetString("og.repository.images-dir", "");
        if (string.IsNullOrWhiteSpace(images)) throw new SettingsException("og.repository.images-dir is empty; set --images to the repository's images directory.");
        var url = config.GetString("og.repository.http-url", "");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new SettingsException($"og.repository.http-url must be an http:// address such as http://127.0.0.1:5481, got '{url}'.");
        return new RepositorySettings(name.Trim(), Path.GetFullPath(images), uri);
    }

    public string EnsureImagesDir()
    {
        try
        {
            Directory.CreateDirectory(ImagesDir);
            return ImagesDir;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException($"Cannot create the images directory '{ImagesDir}': {e.Message}");
        }
    }
}
