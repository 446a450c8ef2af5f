namespace OgActors.Lab;

/// <summary>A running lab as the journey drives it: the loopback all-in-one lab or the virtual classroom.</summary>
public interface IRunningLab : IAsyncDisposable
{
    LabManifest Manifest { get; }
    string Token { get; }
    IReadOnlyDictionary<string, LabComputerFiles> ComputerFiles { get; }
    Task StopAsync();
}
