namespace OgActors.Imaging.Processes;

/// <summary>
/// An external tool failed. <see cref="Exception.Message"/> is one sentence naming the tool, its exit code and the
/// most telling line of its error output; <see cref="StandardError"/> holds the tail of that output for logs.
/// </summary>
public sealed class ToolFailedException(string tool, int exitCode, string message, string standardError) : Exception(message)
{
    public string Tool { get; } = tool;

    /// <summary>The exit code; 128+N when the tool was killed by signal N.</summary>
    public int ExitCode { get; } = exitCode;

    public string StandardError { get; } = standardError;
}
