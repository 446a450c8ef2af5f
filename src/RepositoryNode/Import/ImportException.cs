namespace OgActors.RepositoryNode.Import;

/// <summary>An import that cannot be done; <see cref="Exception.Message"/> is one sentence for the operator.</summary>
public sealed class ImportException(string message) : Exception(message);
