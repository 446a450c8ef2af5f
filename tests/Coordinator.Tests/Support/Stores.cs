namespace OgActors.Coordinator.Tests.Support;

public static class Stores
{
    /// <summary>Both journals the product supports: every persistence test runs on each.</summary>
    public static TheoryData<string> Both => new() { "sqlite", "postgres" };
}
