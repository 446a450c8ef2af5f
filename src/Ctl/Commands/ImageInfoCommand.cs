using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Verification;

namespace OgActors.Ctl.Commands;

/// <summary>
/// `ogctl image info PATH [--json]`: what an image file, split set or Clonezilla/FOG directory holds, read locally
/// (no cluster needed). Prints OpenGnsys's TOOL:COMPRESSOR:FS:SIZEKB line (one per partition for a directory,
/// prefixed with the partition name), or every field with --json. With --verify the whole stream is decompressed and
/// walked first (<see cref="ImageVerifier"/>); a damaged image prints its one sentence and exits 1.
/// </summary>
public static class ImageInfoCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "Image file, first volume of a split image (.000, .aa), or Clonezilla/FOG image directory" };
        var json = new Option<bool>("--json") { Description = "Print every field as JSON" };
        var verify = new Option<bool>("--verify") { Description = "Also decompress the whole image and walk its structure to the end, as a repository does before serving it" };
        var command = new Command("info", "Inspect an image (tool, compressor, filesystem, size needed) without a cluster") { path, json, verify };
        command.SetAction(result => Run(result.GetValue(path)!, result.GetValue(json),
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, result.GetValue(verify)));
        return command;
    }

    public static int Run(string path, bool json, TextWriter stdout, TextWriter stderr, bool verify = false)
    {
        IReadOnlyList<PartitionImageInfo> infos;
        try
        {
            infos = ImageInspector.Inspect(path);
            if (verify)
                foreach (var info in infos) ImageVerifier.Verify(info);
        }
        catch (ImageFormatException e)
        {
            stderr.WriteLine(e.Message);
            return 1;
        }
        catch (Exception e)
        {
            // Inspection reports bad images as ImageFormatException; anything else is still told in one line.
            stderr.WriteLine($"{path}: cannot be inspected ({e.Message.Split('\n')[0].Trim().TrimEnd('.')}).");
            return 1;
        }

        bool directory = Directory.Exists(path);
        if (json)
        {
            stdout.WriteLine(directory
                ? JsonSerializer.Serialize(infos.Select(View).ToList(), Json)
                : JsonSerializer.Serialize(View(infos[0]), Json));
            return 0;
        }
        foreach (var info in infos)
            stdout.WriteLine(directory ? $"{info.PartitionName} {info.OgLine}" : info.OgLine);
        return 0;
    }

    /// <summary>The JSON shape: every field of <see cref="PartitionImageInfo"/> plus the derived ones.</summary>
    private static object View(PartitionImageInfo i) => new
    {
        i.PartitionName,
        Tool = i.ToolName,
        Compressor = i.Compressor.ToString().ToUpperInvariant(),
        i.Filesystem,
        i.DeviceSizeBytes,
        i.RequiredSizeKiB,
        i.ToolVersion,
        i.FormatVersion,
        i.BlockSize,
        i.TotalBlocks,
        i.UsedBlocks,
        i.UsedBytes,
        i.ChecksumMode,
        i.BlocksPerChecksum,
        i.Verified,
        i.Unverified,
        i.Volumes,
        i.StoredSize,
        i.OgLine,
    };
}
