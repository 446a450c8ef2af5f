using OgActors.RepositoryNode.Catalog;

namespace OgActors.RepositoryNode.Incorporation;

/// <summary>Lists every NAME.img of the images directory: its root and its OU sub-folders, one level deep.</summary>
public static class ImagesDirectoryScan
{
    public static IReadOnlyList<ImageKey> ImageFiles(string imagesDirectory)
    {
        if (!Directory.Exists(imagesDirectory)) return [];
        var folders = new[] { imagesDirectory }.Concat(Directory.EnumerateDirectories(imagesDirectory));
        return folders
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*" + ImageKey.Extension))
            .Where(path => path.EndsWith(ImageKey.Extension, StringComparison.Ordinal))
            .Select(path => Catalog.ImageFiles.KeyOf(imagesDirectory, path))
            .OfType<ImageKey>()
            .ToList();
    }
}
