using OgActors.Imaging.Inspection;

namespace OgActors.Imaging.Pipelines;

/// <summary>
/// What a restore did: the image format it restored, the image bytes read, the target's size and the time taken;
/// <paramref name="StreamedFullSum"/>: the MD5 of the image bytes actually fed to the tools, when the transfer hashed them
/// ("" when it did not, e.g. a restore from a cached file verified before).
/// </summary>
public sealed record RestoreResult(PartitionImageInfo Format, long ImageBytes, long TargetBytes, TimeSpan Elapsed, string StreamedFullSum = "");
