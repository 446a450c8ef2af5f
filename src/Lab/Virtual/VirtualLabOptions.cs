namespace OgActors.Lab.Virtual;

/// <summary>What a virtual lab builds: N computers (as the loopback lab's <see cref="LabComputer"/>s) and the links' rates.</summary>
public sealed record VirtualLabOptions
{
    public required string DataDir { get; init; }
    public int Computers { get; init; } = 3;
    public int LinkMbit { get; init; } = 1000;
    public int RepositoryLinkMbit { get; init; } = 1000;
    /// <summary>Port of the API on 127.0.0.1 in the root namespace (0 = a free one).</summary>
    public int ApiPort { get; init; }
    public string? Token { get; init; }
    public Func<int, LabComputer>? Computer { get; init; }
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public LabComputer ComputerAt(int index) =>
        Computer?.Invoke(index) ?? new LabComputer($"pc{index:00}", [256 * LabOptions.MiB, 256 * LabOptions.MiB], 1024 * LabOptions.MiB);
}
