using OgActors.Imaging.Inspection;

namespace OgActors.Imaging.Pipelines;

/// <summary>What a restore did: the image format it restored, the image bytes read, the target's size and the time taken.</summary>
public sealed record RestoreResult(PartitionImageInfo Format, long ImageBytes, long TargetBytes, TimeSpan Elapsed);
