using OgActors.Imaging.Sidecars;
using OgActors.Messages.Repositories;
using OgActors.RepositoryNode.Catalog;

namespace OgActors.RepositoryNode.Torrent;

/// <summary>One ready image as the tracker and the seeder see it: its info-hash, the file, its torrent sidecar.</summary>
public sealed record SeedableImage(ImageKey Key, string InfoHash, string ImagePath, string TorrentPath);

/// <summary>
/// Which images are tracked and seeded: exactly the catalog's <c>ready</c> images that are still the very file incorporated
/// (same identity: size, mtime, ctime, inode) and whose torrent sidecar maps onto that file in place (its name is the file's
/// name, its length the file's size, its info-hash the one incorporation recorded). A pure function of the catalog and the files.
/// </summary>
public static class ReadyTorrents
{
    public static IReadOnlyList<SeedableImage> Of(CatalogView view)
    {
        var ready = new List<SeedableImage>();
        foreach (var (key, entry) in view.Entries)
        {
            if (entry.State != ImageFileState.Ready || entry.Sums is not { InfoHash.Length: 40 } sums) continue;
            if (view.Servable(key) is null) continue; // locked, changed or gone since it was incorporated
            var files = new ImageFiles(view.ImagesDirectory, key);
            if (!File.Exists(files.Torrent)) continue;
            try
            {
                var torrent = TorrentMetainfo.Parse(File.ReadAllBytes(files.Torrent));
                if (torrent.Name != Path.GetFileName(files.Image) || torrent.Length != entry.Stamp.Size || torrent.InfoHash != sums.InfoHash.ToLowerInvariant())
                    continue;
            }
            catch (Exception e) when (e is IOException or Imaging.Bencode.BencodeFormatException) { continue; }
            ready.Add(new SeedableImage(key, sums.InfoHash.ToLowerInvariant(), files.Image, files.Torrent));
        }
        return [.. ready.OrderBy(r => r.InfoHash, StringComparer.Ordinal)];
    }
}
