namespace OgActors.RepositoryNode.Catalog;

/// <summary>
/// OpenGnsys's backup rule: the version an image replaces or a delete removes is kept as NAME.img.ant with its
/// sidecars (.sum.ant, .full.sum.ant, .torrent.ant, and our .info.json.ant), replacing an older .ant set.
/// </summary>
public static class PreviousVersion
{
    /// <summary>Moves NAME.img and its sidecars to their .ant names; removes the rest of the derived sidecars.</summary>
    public static void Keep(ImageFiles files)
    {
        foreach (var (_, previous) in files.PreviousVersion) File.Delete(previous);
        foreach (var (current, previous) in files.PreviousVersion)
            if (File.Exists(current)) File.Move(current, previous);
        foreach (var derived in files.Derived) File.Delete(derived);
    }

    /// <summary>Removes NAME.img, its sidecars and any kept previous version.</summary>
    public static void Purge(ImageFiles files)
    {
        foreach (var (current, previous) in files.PreviousVersion)
        {
            File.Delete(current);
            File.Delete(previous);
        }
        foreach (var derived in files.Derived) File.Delete(derived);
    }
}
