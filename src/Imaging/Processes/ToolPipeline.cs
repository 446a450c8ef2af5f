using System.Buffers;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;

namespace OgActors.Imaging.Processes;

/// <summary>
/// Runs external programs connected stdout→stdin by the operating system (one <c>bash</c> pipeline, as the
/// shell would), while this process streams the pipeline's input from a <see cref="Stream"/> and its output to a
/// <see cref="Stream"/> in 1 MiB blocks. Each stage's error output goes to its own file so a failure names the
/// tool that caused it. Cancellation kills the whole process tree.
/// </summary>
public static class ToolPipeline
{
    private const int BlockSize = 1024 * 1024;
    private const int SigPipeExit = 128 + 13;
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Runs <paramref name="stages"/> as <c>stage0 | stage1 | …</c>. <paramref name="input"/> (optional) is fed to the
    /// first stage's stdin (otherwise it reads /dev/null); the last stage's stdout is copied to <paramref name="output"/>
    /// (otherwise it is discarded with its error output). <paramref name="sample"/> is called about four times a second
    /// and once at the end. Throws <see cref="ToolFailedException"/> naming the stage that failed,
    /// <see cref="OperationCanceledException"/> after killing every stage when cancelled.
    /// </summary>
    public static async Task RunAsync(IReadOnlyList<ToolCommand> stages, Stream? input, Stream? output,
        Action<ToolPipelineCounters>? sample = null, CancellationToken cancellationToken = default)
    {
        if (stages.Count == 0) throw new ArgumentException("A pipeline needs at least one stage.", nameof(stages));
        foreach (var stage in stages) ToolLocator.Require(stage.Program);
        cancellationToken.ThrowIfCancellationRequested();

        var workDirectory = Directory.CreateTempSubdirectory("og-tools-");
        try
        {
            await RunInAsync(stages, workDirectory.FullName, input, output, sample, cancellationToken);
        }
        finally
        {
            try { workDirectory.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task RunInAsync(IReadOnlyList<ToolCommand> stages, string workDirectory, Stream? input, Stream? output,
        Action<ToolPipelineCounters>? sample, CancellationToken cancellationToken)
    {
        var statusFile = Path.Combine(workDirectory, "status");
        var start = new ProcessStartInfo("/bin/bash")
        {
            UseShellExecute = false,
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = output is not null,
            RedirectStandardError = true,
            WorkingDirectory = workDirectory,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script(stages, workDirectory, input is not null, output is not null, statusFile));
        start.Environment["LC_ALL"] = "C";
        start.Environment["PATH"] = ToolLocator.SearchPath; // programs run by name, so their messages name them as users know them

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started.");
        var counters = new ToolPipelineCounters(process.Id, stages);
        var killed = 0;
        void Kill()
        {
            if (Interlocked.Exchange(ref killed, 1) == 1) return;
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
        }

        await using var registration = cancellationToken.Register(Kill);
        var shellErrors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var stdinBroken = false;

        var pumpIn = input is null ? Task.CompletedTask : Task.Run(async () =>
        {
            var stdin = process.StandardInput.BaseStream;
            var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
            try
            {
                int read;
                while ((read = await input.ReadAsync(buffer.AsMemory(0, BlockSize), cancellationToken)) > 0)
                {
                    try
                    {
                        await stdin.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }
                    catch (IOException)
                    {
                        stdinBroken = true; // the first stage exited early; its exit status tells why
                        return;
                    }
                    counters.AddInput(read);
                }
            }
            catch
            {
                Kill();
                throw;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                try { stdin.Close(); } catch (IOException) { stdinBroken = true; }
            }
        }, CancellationToken.None);

        var pumpOut = output is null ? Task.CompletedTask : Task.Run(async () =>
        {
            var stdout = process.StandardOutput.BaseStream;
            var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
            try
            {
                int read;
                while ((read = await stdout.ReadAsync(buffer.AsMemory(0, BlockSize), cancellationToken)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    counters.AddOutput(read);
                }
            }
            catch
            {
                Kill();
                throw;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }, CancellationToken.None);

        using var stopSampling = new CancellationTokenSource();
        var sampler = sample is null ? Task.CompletedTask : Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await Task.Delay(SampleInterval, stopSampling.Token);
                    sample(counters);
                }
            }
            catch (OperationCanceledException) { }
        }, CancellationToken.None);

        Exception? pumpFailure = null;
        try
        {
            await Task.WhenAll(pumpIn, pumpOut);
        }
        catch (Exception) when (pumpIn.Exception is not null || pumpOut.Exception is not null)
        {
            pumpFailure = (pumpIn.Exception ?? pumpOut.Exception)!.InnerException;
        }
        catch (OperationCanceledException)
        {
        }
        await process.WaitForExitAsync(CancellationToken.None);
        await stopSampling.CancelAsync();
        await sampler;
        var bashErrors = await shellErrors;

        cancellationToken.ThrowIfCancellationRequested();
        sample?.Invoke(counters);

        var statuses = ReadStatuses(statusFile);
        if (statuses is null)
        {
            if (pumpFailure is not null) ExceptionDispatchInfo.Throw(pumpFailure);
            var detail = ErrorSentence.MostTellingLine(bashErrors);
            throw new ToolFailedException("bash", process.ExitCode,
                detail is null ? $"The pipeline {Describe(stages)} was killed before it finished." : $"The pipeline {Describe(stages)} failed: {detail.TrimEnd('.')}.", bashErrors);
        }
        var failure = Culprit(stages, statuses, workDirectory);
        if (failure is not null) throw failure;
        if (pumpFailure is not null) ExceptionDispatchInfo.Throw(pumpFailure);
        if (stdinBroken)
            throw new ToolFailedException(stages[0].Name, 0, $"{stages[0].Name} stopped reading its input before the end of the image.", StageErrors(workDirectory, 0));
    }

    private static string Script(IReadOnlyList<ToolCommand> stages, string workDirectory, bool hasInput, bool hasOutput, string statusFile)
    {
        var script = new StringBuilder();
        for (var i = 0; i < stages.Count; i++)
        {
            if (i > 0) script.Append(" | ");
            script.Append(string.Join(' ', stages[i].Arguments.Prepend(stages[i].Program).Select(ShellQuoting.Quote)));
            if (i == 0 && !hasInput) script.Append(" </dev/null");
            script.Append(" 2>").Append(ShellQuoting.Quote(ErrorFile(workDirectory, i)));
            if (i == stages.Count - 1 && !hasOutput) script.Append(" >&2");
        }
        script.Append("\necho \"${PIPESTATUS[*]}\" >").Append(ShellQuoting.Quote(statusFile)).Append('\n');
        return script.ToString();
    }

    private static string ErrorFile(string workDirectory, int stage) => Path.Combine(workDirectory, $"{stage}.err");

    private static string StageErrors(string workDirectory, int stage)
    {
        var path = ErrorFile(workDirectory, stage);
        if (!File.Exists(path)) return "";
        using var file = File.OpenRead(path);
        const int tail = 64 * 1024;
        if (file.Length > tail) file.Seek(-tail, SeekOrigin.End);
        using var reader = new StreamReader(file, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static int[]? ReadStatuses(string statusFile)
    {
        if (!File.Exists(statusFile)) return null;
        var words = File.ReadAllText(statusFile).Split(' ', '\n', StringSplitOptions.RemoveEmptyEntries);
        return words.Select(int.Parse).ToArray();
    }

    /// <summary>
    /// The stage to blame: the most upstream failure that is not a consequence of a later stage dying (SIGPIPE or
    /// "Broken pipe"); if every failure is such a consequence, the first one.
    /// </summary>
    private static ToolFailedException? Culprit(IReadOnlyList<ToolCommand> stages, int[] statuses, string workDirectory)
    {
        var failures = statuses.Select((code, index) => (code, index)).Where(f => f.code != 0 && f.index < stages.Count)
            .Select(f => (f.code, f.index, errors: StageErrors(workDirectory, f.index))).ToList();
        if (failures.Count == 0) return null;
        var (code, index, errors) = failures.FirstOrDefault(f => f.code != SigPipeExit && !f.errors.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase));
        if (errors is null) (code, index, errors) = failures[0];
        var name = stages[index].Name;
        return new ToolFailedException(name, code, ErrorSentence.For(name, code, errors), errors);
    }

    private static string Describe(IReadOnlyList<ToolCommand> stages) => string.Join(" | ", stages.Select(s => s.Name));
}
