namespace OgActors.Imaging.Inspection;

/// <summary>An image that cannot be understood. <see cref="Exception.Message"/> is one sentence saying what is wrong and where.</summary>
public sealed class ImageFormatException(string message, Exception? inner = null) : Exception(message, inner);
