namespace OgActors.Imaging.Processes;

/// <summary>One external program with its arguments: a stage of a <see cref="ToolPipeline"/>.</summary>
public sealed record ToolCommand(string Program, IReadOnlyList<string> Arguments)
{
    public ToolCommand(string program, params string[] arguments) : this(program, (IReadOnlyList<string>)arguments) { }

    public string Name => Path.GetFileName(Program);

    /// <summary>The command as a user would type it (for logs and error messages).</summary>
    public override string ToString() => string.Join(' ', Arguments.Prepend(Program).Select(ShellQuoting.QuoteIfNeeded));
}
