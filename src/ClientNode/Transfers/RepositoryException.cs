namespace OgActors.ClientNode.Transfers;

/// <summary>A repository cannot give or take what a job needs; the message is one sentence for the operator.</summary>
public class RepositoryException(string message, Exception? inner = null) : Exception(message, inner);
