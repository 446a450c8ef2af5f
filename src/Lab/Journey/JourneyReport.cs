using System.Text.Json;

namespace OgActors.Lab.Journey;

/// <summary>One row of the journey's table.</summary>
public sealed record JourneyRow(string Computer, string Path, string Reason, long Bytes, double Seconds, string Result, string Detail);

/// <summary>
/// The physical limit of the deploy on a virtual lab: unicast sends the image once per computer over the repository's
/// link (N × bytes × 8 / rate), and no computer can receive faster than its own link (bytes × 8 / rate); the limit is
/// the larger. Multicast sends it once for all: its wire bytes (<see cref="MulticastWire"/>: image bytes with the
/// UDP/IP/Ethernet headers, <c>WireBytes</c>) over the repository's link and over each computer's link; the limit is the
/// larger. Torrent: see <see cref="TorrentLimit"/> (<c>SwarmLimitSeconds</c> its third bound). Seconds is the measured
/// network phase (updateCache), RestoreSeconds the restore from the caches after it. RepositorySentBytes is what the
/// repository's link sent during the network phase (its interface's tx_bytes), LoadAverage the host's 1-minute load
/// average at its end (the 2 cores are shared: time ratios are inflated under load, byte ratios are not).
/// </summary>
public sealed record JourneyLimit(
    string Protocol, int Computers, long ImageBytes, int LinkMbit, int RepositoryLinkMbit,
    double RepositoryLimitSeconds, double ComputerLimitSeconds, double LimitSeconds, double Seconds, double Ratio, double RestoreSeconds,
    IReadOnlyList<JourneyJobTimes>? Timeline = null, long WireBytes = 0, string HeaderRule = "",
    long RepositorySentBytes = 0, double SwarmLimitSeconds = 0, string P2PMode = "", double LoadAverage = 0)
{
    /// <summary>The repository's upload over the image's bytes: unicast ≈ N, multicast ≈ 1 (+ headers), torrent in peer mode ideally 1.</summary>
    public double RepositoryUploadRatio => ImageBytes > 0 ? (double)RepositorySentBytes / ImageBytes : 0;

    public static double SecondsFor(long bytes, int mbit) => bytes * 8.0 / (mbit * 1_000_000.0);
}

/// <summary>When a job of the network phase started and finished, in seconds after its session was created.</summary>
public sealed record JourneyJobTimes(string Computer, double StartedSeconds, double FinishedSeconds);

/// <summary>What the journey did and measured; written to DIR/journey.json for scripts and tests.</summary>
public sealed record JourneyReport(
    bool Succeeded, string Failure, string Image, string InfoLine, int Revision, int ModelFiles,
    double TotalSeconds, double LabStartSeconds, double CaptureSeconds, double IncorporationSeconds, double DeploySeconds,
    IReadOnlyList<JourneyRow> Rows,
    JourneyLimit? Limit = null)
{
    public const string FileName = "journey.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public void Write(string dataDir) => File.WriteAllText(Path.Combine(dataDir, FileName), JsonSerializer.Serialize(this, Json));

    public static JourneyReport Read(string dataDir) =>
        JsonSerializer.Deserialize<JourneyReport>(File.ReadAllText(Path.Combine(dataDir, FileName)), Json)
        ?? throw new InvalidDataException($"{Path.Combine(dataDir, FileName)} is empty.");

    /// <summary>The table: computer, path and reason, bytes, seconds, result.</summary>
    public static void PrintTable(TextWriter output, IReadOnlyList<JourneyRow> rows)
    {
        string[] header = ["Computer", "Path and reason", "Bytes", "Seconds", "Result"];
        var cells = rows.Select(r => new[]
        {
            r.Computer, r.Reason.Length > 0 ? $"{r.Path}: {r.Reason}" : r.Path, r.Bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
            r.Seconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), r.Detail.Length > 0 ? $"{r.Result}: {r.Detail}" : r.Result,
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, cells.Select(c => c[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        string Line(string[] c) => "| " + string.Join(" | ", c.Select((x, i) => i is 2 or 3 ? x.PadLeft(widths[i]) : x.PadRight(widths[i]))) + " |";
        var rule = "+" + string.Join("+", widths.Select(w => new string('-', w + 2))) + "+";
        output.WriteLine(rule);
        output.WriteLine(Line(header));
        output.WriteLine(rule);
        foreach (var c in cells) output.WriteLine(Line(c));
        output.WriteLine(rule);
    }
}
