using System.Collections.Immutable;

namespace OgActors.RepositoryNode.Catalog;

/// <summary>
/// The read side of the catalog for the HTTP service: an immutable snapshot that only the RepositoryActor
/// replaces (after every transition), read lock-free by request handlers.
/// </summary>
public sealed class CatalogView(string imagesDirectory)
{
    private volatile ImmutableDictionary<ImageKey, CatalogEntry> _entries = ImmutableDictionary<ImageKey, CatalogEntry>.Empty;

    public string ImagesDirectory { get; } = Path.GetFullPath(imagesDirectory);

    public IReadOnlyDictionary<ImageKey, CatalogEntry> Entries => _entries;

    internal void Replace(ImmutableDictionary<ImageKey, CatalogEntry> entries) => _entries = entries;

    /// <summary>The entry if NAME.img is incorporated and still the very file that was incorporated.</summary>
    public CatalogEntry? Servable(ImageKey key)
    {
        if (!_entries.TryGetValue(key, out var entry) || entry.State != Messages.Repositories.ImageFileState.Ready) return null;
        var files = new ImageFiles(ImagesDirectory, key);
        if (File.Exists(files.Lock)) return null;
        return FileStamp.Of(files.Image) == entry.Stamp ? entry : null;
    }
}
