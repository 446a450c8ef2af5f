namespace OgActors.Imaging.Processes;

/// <summary>Live counters of a running <see cref="ToolPipeline"/>: bytes fed in, bytes taken out, and what each stage has read.</summary>
public sealed class ToolPipelineCounters
{
    private readonly int _shellProcessId;
    private readonly IReadOnlyList<ToolCommand> _stages;
    private readonly int?[] _stageProcessIds;
    private long _inputBytes;
    private long _outputBytes;

    internal ToolPipelineCounters(int shellProcessId, IReadOnlyList<ToolCommand> stages)
    {
        _shellProcessId = shellProcessId;
        _stages = stages;
        _stageProcessIds = new int?[stages.Count];
    }

    /// <summary>Bytes written to the first stage's stdin.</summary>
    public long InputBytes => Interlocked.Read(ref _inputBytes);

    /// <summary>Bytes read from the last stage's stdout.</summary>
    public long OutputBytes => Interlocked.Read(ref _outputBytes);

    internal void AddInput(long bytes) => Interlocked.Add(ref _inputBytes, bytes);

    internal void AddOutput(long bytes) => Interlocked.Add(ref _outputBytes, bytes);

    /// <summary>
    /// Bytes the stage has read so far through read(2) (Linux <c>/proc/PID/io</c> rchar), e.g. how much of a partition a
    /// clone tool has read; null when the stage is not running (yet or any more).
    /// </summary>
    public long? StageBytesRead(int stage)
    {
        var pid = _stageProcessIds[stage] ??= FindStageProcess(_stages[stage].Program);
        if (pid is null) return null;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/io"))
                if (line.StartsWith("rchar:", StringComparison.Ordinal)) return long.Parse(line.AsSpan(6).Trim());
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        _stageProcessIds[stage] = null;
        return null;
    }

    private int? FindStageProcess(string program)
    {
        try
        {
            var children = File.ReadAllText($"/proc/{_shellProcessId}/task/{_shellProcessId}/children")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);
            foreach (var child in children)
            {
                var commandLine = File.ReadAllBytes($"/proc/{child}/cmdline");
                var end = Array.IndexOf(commandLine, (byte)0);
                var argument0 = System.Text.Encoding.UTF8.GetString(commandLine, 0, end < 0 ? commandLine.Length : end);
                if (argument0 == program || Path.GetFileName(argument0) == Path.GetFileName(program)) return child;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        catch (FormatException) { }
        return null;
    }
}
