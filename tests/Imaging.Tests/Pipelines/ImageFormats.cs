using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;

namespace OgActors.Imaging.Tests.Pipelines;

/// <summary>The format of an image these tests captured themselves, as inspection would report it.</summary>
internal static class ImageFormats
{
    public static PartitionImageInfo Of(CloneTool tool, Compressor compressor, string filesystem, long deviceSizeBytes, string imagePath) =>
        new(null, tool, compressor, filesystem, deviceSizeBytes, "", "", 0, 0, 0, 0, "", [imagePath], new FileInfo(imagePath).Length);
}
