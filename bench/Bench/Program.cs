using BenchmarkDotNet.Running;

namespace OgActors.Bench;

/// <summary>
/// In-process benchmarks: `dotnet run -c Release --project bench/Bench -- --filter '*'`.
/// `run-capture|run-restore|run-sidecars` run one library operation for the bench/*.sh scripts (see LibraryRunner).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (LibraryRunner.Handles(args)) return LibraryRunner.Run(args);
        if (TlsCostRunner.Handles(args)) return TlsCostRunner.Run(args);
        if (Journal.JournalThroughputRunner.Handles(args)) return Journal.JournalThroughputRunner.Run(args);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
