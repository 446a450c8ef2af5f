namespace OgActors.Imaging.Tests.Pipelines;

/// <summary>A fresh temporary folder per test, removed afterwards.</summary>
internal sealed class TestFolder : IDisposable
{
    public TestFolder() => Path = Directory.CreateTempSubdirectory("og-imaging-test-").FullName;

    public string Path { get; }

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
