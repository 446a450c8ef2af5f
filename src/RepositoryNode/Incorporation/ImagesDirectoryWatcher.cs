using OgActors.RepositoryNode.Catalog;

namespace OgActors.RepositoryNode.Incorporation;

/// <summary>
/// Tells its owner which image a file-system event concerns (NAME.img or any of its sidecars, the lock
/// included), and when the watcher lost events and a rescan is due. What the watcher misses, the periodic
/// rescan catches.
/// </summary>
public sealed class ImagesDirectoryWatcher : IDisposable
{
    private readonly FileSystemWatcher _watcher;

    public ImagesDirectoryWatcher(string imagesDirectory, Action<ImageKey> touched, Action rescan)
    {
        _watcher = new FileSystemWatcher(imagesDirectory)
        {
            IncludeSubdirectories = true,
            InternalBufferSize = 64 * 1024,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size | NotifyFilters.LastWrite,
        };
        void OnPath(string path, bool gone)
        {
            if (ImageFiles.KeyOf(imagesDirectory, path) is { } key) touched(key);
            else if (gone || Directory.Exists(path)) rescan(); // an OU folder moved in or out with images inside
        }
        _watcher.Created += (_, e) => OnPath(e.FullPath, gone: false);
        _watcher.Changed += (_, e) => OnPath(e.FullPath, gone: false);
        _watcher.Deleted += (_, e) => OnPath(e.FullPath, gone: true);
        _watcher.Renamed += (_, e) => { OnPath(e.OldFullPath, gone: true); OnPath(e.FullPath, gone: false); };
        _watcher.Error += (_, _) => rescan();
        _watcher.EnableRaisingEvents = true;
    }

    public void Dispose() => _watcher.Dispose();
}
