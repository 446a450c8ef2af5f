using System.Text.Json;
using OgActors.Hosting.Configuration;

namespace OgActors.ClientNode.Computer;

/// <summary>
/// Which image and revision each partition of this computer holds, written by the job runner after a successful
/// restore and kept in <c>DATA-DIR/partitions.json</c>, so the inventory the agent sends reports it after a reboot too.
/// </summary>
public sealed class PartitionLedger(string file)
{
    public const string FileName = "partitions.json";

    /// <summary>Damage non-empty: a restore into the partition failed after writing began; it holds no known image.</summary>
    public sealed record Entry(string Image, int Revision, DateTimeOffset DeployedAt, string Damage = "");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly object _gate = new();

    public static PartitionLedger For(NodeSettings node) => new(Path.Combine(node.EnsureDataDir(), FileName));

    public IReadOnlyDictionary<int, Entry> Read()
    {
        lock (_gate)
        {
            if (!File.Exists(file)) return new Dictionary<int, Entry>();
            try
            {
                return JsonSerializer.Deserialize<Dictionary<int, Entry>>(File.ReadAllText(file), Json) ?? new Dictionary<int, Entry>();
            }
            catch (JsonException)
            {
                return new Dictionary<int, Entry>(); // a damaged ledger only loses what we knew; the next restore rewrites it
            }
        }
    }

    /// <summary>Records that <paramref name="partition"/> now holds <paramref name="image"/> at <paramref name="revision"/> (temporary file, then rename).</summary>
    public void Record(int partition, string image, int revision, DateTimeOffset at) => Write(partition, new Entry(image, revision, at));

    /// <summary>Records that a restore into <paramref name="partition"/> failed after writing began: it holds no known image now.</summary>
    public void RecordDamaged(int partition, string why, DateTimeOffset at) => Write(partition, new Entry("", 0, at, why));

    private void Write(int partition, Entry entry)
    {
        lock (_gate)
        {
            var entries = new Dictionary<int, Entry>(Read()) { [partition] = entry };
            var temporary = file + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(entries, Json));
            File.Move(temporary, file, overwrite: true);
        }
    }
}
