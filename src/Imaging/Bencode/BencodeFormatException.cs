namespace OgActors.Imaging.Bencode;

/// <summary>Malformed bencode. The message is one sentence naming what is wrong and the byte offset.</summary>
public sealed class BencodeFormatException(string message, long offset) : FormatException(message)
{
    public long Offset { get; } = offset;
}
