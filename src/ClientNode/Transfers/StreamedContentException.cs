namespace OgActors.ClientNode.Transfers;

/// <summary>A direct restore wrote bytes that are not the image (their MD5 is not its full sum, or they ended short): the partition is damaged.</summary>
public sealed class StreamedContentException(string message) : Exception(message);
