namespace OgActors.Lab.Journey;

/// <summary>
/// How the multicast limit counts headers. udp-sender sends the image in UDP datagrams of at most 1456 image bytes
/// (its default and maximum <c>--blocksize</c>), each behind udpcast's 16-byte data header, an 8-byte UDP header, a
/// 20-byte IPv4 header and the 14-byte Ethernet header: a full frame is 1514 bytes on the wire for 1456 image bytes
/// (MTU 1500). 1514 is what tbf charges a frame on the lab's links (the Ethernet header counts; preamble, FCS and the
/// inter-frame gap do not exist on a veth). The wire bytes of one pass of the image are therefore
/// ⌈bytes / 1456⌉ frames × 58 header bytes + bytes; the limit is those bits over the link rate. Control traffic (the
/// receivers' acknowledgements, retransmissions, FEC) is not part of the limit: it is what the ratio measures.
/// </summary>
public static class MulticastWire
{
    public const int ImageBytesPerFrame = 1456;
    public const int HeaderBytesPerFrame = 16 + 8 + 20 + 14;
    public const string Rule = "UDP datagrams of 1456 image bytes + 58 header bytes (udpcast 16, UDP 8, IPv4 20, Ethernet 14) = 1514-byte frames";

    /// <summary>Bytes on the wire for one pass of <paramref name="imageBytes"/> image bytes.</summary>
    public static long WireBytes(long imageBytes) =>
        imageBytes + (imageBytes + ImageBytesPerFrame - 1) / ImageBytesPerFrame * HeaderBytesPerFrame;
}
