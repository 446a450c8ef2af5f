using OgActors.ClientNode.Tests.Support;
using OgActors.Imaging.Inspection;

namespace OgActors.ClientNode.Tests.Multicast;

/// <summary>The multicast precheck reads a short head of the image (each computer's head crosses the repository's link beside the one stream).</summary>
public sealed class MulticastHeadCheckTests
{
    [Fact]
    public async Task A_short_head_tells_the_size_a_partclone_lzop_image_needs()
    {
        var (_, image) = await TestImages.Ext4Async(1);
        var bytes = await File.ReadAllBytesAsync(image);
        var head = bytes.AsSpan(0, Math.Min(320 * 1024, bytes.Length)).ToArray();
        ImageInspector.InspectHead(head, bytes.Length).DeviceSizeBytes.Should().Be(ImageInspector.InspectFile(image).DeviceSizeBytes);
    }
}
