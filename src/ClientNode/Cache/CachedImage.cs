namespace OgActors.ClientNode.Cache;

/// <summary>
/// An image held whole in a computer's cache: <c>NAME.img</c> with the sums the cache computed itself when the copy
/// was committed (<c>NAME.img.sum</c> = MD5 of the last MiB, <c>NAME.img.full.sum</c> = MD5 of the file), as OpenGnsys keeps them.
/// </summary>
public sealed record CachedImage(string Name, string Path, long SizeBytes, string Sum, string FullSum);
