using System.Diagnostics;
using System.Globalization;
using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Processes;
using OgActors.Imaging.Sidecars;

namespace OgActors.Bench;

/// <summary>
/// Runs one library operation for the whole-operation comparisons in bench/*.sh:
/// <code>
/// OgActors.Bench run-capture PARTITION IMAGE [partclone|ntfsclone|partimage|dd] [lzop|gzip|zstd|bzip2|xz|lz4|none]
/// OgActors.Bench run-restore IMAGE TARGET [TOOL COMPRESSOR]   (without TOOL/COMPRESSOR the head is inspected)
/// OgActors.Bench run-sidecars IMAGE ANNOUNCE-URL
/// </code>
/// Prints one line "seconds=… bytes=…" on success; one sentence on stderr and exit code 1 on failure.
/// </summary>
internal static class LibraryRunner
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] is "run-capture" or "run-restore" or "run-sidecars";

    public static int Run(string[] args)
    {
        try
        {
            var clock = Stopwatch.StartNew();
            var bytes = args[0] switch
            {
                "run-capture" when args.Length >= 3 => Capture(args),
                "run-restore" when args.Length >= 3 => Restore(args),
                "run-sidecars" when args.Length >= 3 => Sidecars(args),
                _ => throw new ArgumentException($"Usage: {args[0]} needs more arguments (see bench/Bench/LibraryRunner.cs)."),
            };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seconds={clock.Elapsed.TotalSeconds:F3} bytes={bytes}"));
            return 0;
        }
        catch (Exception e) when (e is PipelineRefusedException or ToolFailedException or ImageFormatException or ArgumentException or IOException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    private static long Capture(string[] args)
    {
        var options = new CaptureOptions
        {
            Tool = args.Length > 3 ? Enum.Parse<CloneTool>(args[3], ignoreCase: true) : CloneTool.Partclone,
            Compressor = args.Length > 4 ? Enum.Parse<Compressor>(args[4], ignoreCase: true) : Compressor.Lzop,
        };
        return CapturePipeline.CaptureToFileAsync(args[1], args[2], options).GetAwaiter().GetResult().ImageBytes;
    }

    private static long Restore(string[] args)
    {
        if (args.Length < 5) return RestorePipeline.RestoreFileAsync(args[1], args[2]).GetAwaiter().GetResult().ImageBytes;
        var format = new PartitionImageInfo(null, Enum.Parse<CloneTool>(args[3], true), Enum.Parse<Compressor>(args[4], true), "", 0,
            "", "", 0, 0, 0, 0, "", [args[1]], new FileInfo(args[1]).Length);
        return RestorePipeline.RestoreFileAsync(args[1], format, args[2]).GetAwaiter().GetResult().ImageBytes;
    }

    private static long Sidecars(string[] args) => SidecarWriter.CreateAsync(args[1], args[2]).GetAwaiter().GetResult().Size;
}
