using System.Text.Json;
using System.Text.Json.Serialization;

namespace OgActors.Lab;

public sealed record LabPartition(int Number, string File, long SizeBytes);

public sealed record LabComputerEntry(
    string Name, string DataDir, string Mac, string Ip, string Address,
    IReadOnlyList<LabPartition> Partitions, string CacheDir, long CacheCapacityBytes,
    string? Namespace = null, int Pid = 0, IReadOnlyList<string>? Command = null, string? Log = null, int LinkMbit = 0);

/// <summary>A virtual lab's network: the namespaces, the bridge, the servers' processes and each link's rate.</summary>
public sealed record LabNetworkEntry(
    string Network, string MulticastGroup, string Prefix, string BridgeNamespace, string Bridge, string ServerNamespace, string ServerIp,
    int CoordinatorPid, int RepositoryPid, IReadOnlyList<OgActors.Lab.Virtual.LinkEntry> Links);

public sealed record LabRepositoryEntry(string Name, string Address, string ImagesDir, string HttpUrl);

/// <summary>DIR/lab.json: how to reach the running lab (ogctl reads apiUrl and apiToken) and where its files are.</summary>
public sealed record LabManifest(
    string ApiUrl,
    string ApiToken,
    string Coordinator,
    string Journal,
    string ImagesDir,
    LabRepositoryEntry Repository,
    IReadOnlyList<LabComputerEntry> Computers,
    int Pid,
    DateTimeOffset StartedAt,
    LabNetworkEntry? Network = null)
{
    public const string FileName = "lab.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Writes the manifest atomically (temporary file, then rename), so readers never see half of it.</summary>
    public void Write(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes DIR/lab.json (a clean stop: no manifest of a lab that is gone).</summary>
    public static void Delete(string dataDir) => File.Delete(Path.Combine(dataDir, FileName));

    public static LabManifest Read(string dataDir) =>
        JsonSerializer.Deserialize<LabManifest>(File.ReadAllText(Path.Combine(dataDir, FileName)), Json)
        ?? throw new InvalidDataException($"{Path.Combine(dataDir, FileName)} is empty.");
}
