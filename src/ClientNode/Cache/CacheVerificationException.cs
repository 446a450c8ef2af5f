namespace OgActors.ClientNode.Cache;

/// <summary>A copy fetched into the cache does not match the repository's full sum (OpenGnsys's OG_ERR_UPDATECACHE).</summary>
public sealed class CacheVerificationException(string message) : Exception(message);
