using OgActors.Imaging.Inspection;
using OgActors.Imaging.Pipelines;

namespace OgActors.ClientNode.Transfers;

/// <summary>OpenGnsys's OG_ERR_IMGSIZEPARTITION check, made before any byte reaches the partition.</summary>
public static class TargetCheck
{
    /// <summary>Refuses (<see cref="PipelineRefusedException"/>) when <paramref name="target"/> is missing or smaller than the image needs.</summary>
    public static void EnsureFits(PartitionImageInfo format, string target, string image)
    {
        var targetBytes = Partition.SizeOf(target);
        if (targetBytes <= 0)
            throw new PipelineRefusedException($"The target partition {target} does not exist; nothing was written.");
        if (format.DeviceSizeBytes > targetBytes)
            throw new PipelineRefusedException(
                $"The target partition {target} has {targetBytes} bytes but image {image} needs {format.DeviceSizeBytes} bytes; nothing was written.");
    }
}
