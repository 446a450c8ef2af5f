namespace OgActors.Imaging.Pipelines;

/// <summary>
/// A capture or restore refused before anything was written (dirty filesystem, target too small, unsupported
/// tool for the filesystem, …). <see cref="Exception.Message"/> is one sentence saying why.
/// </summary>
public sealed class PipelineRefusedException(string message) : Exception(message);
