using BenchmarkDotNet.Running;

namespace OgActors.Bench;

/// <summary>In-process benchmarks: `dotnet run -c Release --project bench/Bench -- --filter '*'`.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
