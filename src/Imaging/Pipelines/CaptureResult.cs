using OgActors.Imaging.Formats;

namespace OgActors.Imaging.Pipelines;

/// <summary>What a capture did: which tools, the partition's size and filesystem, the image's size and the time taken.</summary>
public sealed record CaptureResult(CloneTool Tool, Compressor Compressor, string Filesystem, long PartitionBytes, long ImageBytes, TimeSpan Elapsed);
