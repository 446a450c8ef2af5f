namespace OgActors.Ctl.Api;

/// <summary>Something the operator must fix or know: printed as one sentence, exit code <see cref="ExitCode"/>, no stack trace.</summary>
public sealed class CtlException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
