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
    public static Task RunAsync(IReadOnlyList<ToolCommand> stages, Stream? input, Stream? output,
        Action<ToolPipelineCounters>? sample = null, CancellationToken cancellationToken = default) =>
        RunAsync(stages, new Ends(input, null, output, null), sample, cancellationToken);

    /// <summary>
    /// Like <see cref="RunAsync(IReadOnlyList{ToolCommand}, Stream?, Stream?, Action{ToolPipelineCounters}?, CancellationToken)"/>,
    /// but the operating system connects the first stage's stdin to <paramref name="inputFile"/> and the last stage's stdout
    /// to <paramref name="outputFile"/> (created or truncated) directly, exactly as <c>&lt; in … &gt; out</c> in a shell:
    /// no byte passes through this process. Either may be null (then /dev/null, or the output is discarded).
    /// </summary>
    public static Task RunFilesAsync(IReadOnlyList<ToolCommand> stages, string? inputFile, string? outputFile,
        Action<ToolPipelineCounters>? sample = null, CancellationToken cancellationToken = default) =>
        RunAsync(stages, new Ends(null, inputFile, null, outputFile), sample, cancellationToken);

    private sealed record Ends(Stream? Input, string? InputFile, Stream? Output, string? OutputFile);

    private static async Task RunAsync(IReadOnlyList<ToolCommand> stages, Ends ends,
        Action<ToolPipelineCounters>? sample, CancellationToken cancellationToken)
    {
        if (stages.Count == 0) throw new ArgumentException("A pipeline needs at least one stage.", nameof(stages));
        foreach (var stage in stages) ToolLocator.Require(stage.Program);
        cancellationToken.ThrowIfCancellationRequested();

        var workDirectory = Directory.CreateTempSubdirectory("og-tools-");
        try
        {
            await RunInAsync(stages, workDirectory.FullName, ends, sample, cancellationToken);
        }
        finally
        {
            try { workDirectory.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task RunInAsync(IReadOnlyList<ToolCommand> stages, string workDirectory, Ends ends,
        Action<ToolPipelineCounters>? sample, CancellationToken cancellationToken)
    {
        var (input, output) = (ends.Input, ends.Output);
        var statusFile = Path.Combine(workDirectory, "status");
        var start = new ProcessStartInfo("/bin/bash")
        {
            UseShellExecute = false,
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = output is not null,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script(stages, workDirectory, ends, statusFile));
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

        // The pipe ends are used with blocking read(2)/write(2) (the output pump on a thread of its own): the thread pool's
        // async pipe I/O costs far more CPU (epoll wake-ups, spinning workers) than the copy itself. Enlarged pipes let each
        // call move up to 1 MiB.
        // The caller's stream (a file, a download) is read asynchronously, so that cancellation, or the first tool exiting,
        // interrupts a stalled read.
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var exited = process.WaitForExitAsync(CancellationToken.None).ContinueWith(_ => stopReading.Cancel(), TaskScheduler.Default);
        var pumpIn = input is null ? Task.CompletedTask : Task.Run(async () =>
        {
            var stdin = process.StandardInput.BaseStream;
            PipeCapacity.Enlarge(stdin);
            var buffer = GC.AllocateUninitializedArray<byte>(BlockSize);
            try
            {
                int read;
                while ((read = await ReadOrStopAsync(input, buffer, stopReading.Token)) > 0)
                {
                    try
                    {
                        stdin.Write(buffer, 0, read);
                    }
                    catch (IOException)
                    {
                        stdinBroken = true; // the first stage exited early; its exit status tells why
                        return;
                    }
                    counters.AddInput(read);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // the pipeline exited while the next block was being read: its exit statuses tell whether that was an error
            }
            catch
            {
                Kill();
                throw;
            }
            finally
            {
                try { stdin.Close(); } catch (IOException) { stdinBroken = true; }
            }
        }, CancellationToken.None);

        var pumpOut = output is null ? Task.CompletedTask : Task.Factory.StartNew(() =>
        {
            var stdout = process.StandardOutput.BaseStream;
            PipeCapacity.Enlarge(stdout);
            var buffer = GC.AllocateUninitializedArray<byte>(BlockSize);
            try
            {
                int read;
                while ((read = stdout.Read(buffer, 0, BlockSize)) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    output.Write(buffer, 0, read);
                    counters.AddOutput(read);
                }
            }
            catch
            {
                Kill();
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

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
        await exited;
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

    private static async Task<int> ReadOrStopAsync(Stream input, byte[] buffer, CancellationToken stop)
    {
        var read = input.ReadAsync(buffer.AsMemory(0, BlockSize), stop).AsTask();
        if (read.IsCompleted || !stop.CanBeCanceled) return await read;
        // Not every stream honours the token (e.g. some network streams): stop waiting for it anyway.
        var stopped = Task.Delay(Timeout.Infinite, stop);
        if (await Task.WhenAny(read, stopped) == read) return await read;
        stop.ThrowIfCancellationRequested();
        return await read;
    }

    private static string Script(IReadOnlyList<ToolCommand> stages, string workDirectory, Ends ends, string statusFile)
    {
        var script = new StringBuilder();
        for (var i = 0; i < stages.Count; i++)
        {
            if (i > 0) script.Append(" | ");
            script.Append(string.Join(' ', stages[i].Arguments.Prepend(stages[i].Program).Select(ShellQuoting.Quote)));
            script.Append(" 2>").Append(ShellQuoting.Quote(ErrorFile(workDirectory, i)));
            if (i == 0 && ends.InputFile is not null) script.Append(" <").Append(ShellQuoting.Quote(ends.InputFile));
            else if (i == 0 && ends.Input is null) script.Append(" </dev/null");
            if (i == stages.Count - 1 && ends.OutputFile is not null) script.Append(" >").Append(ShellQuoting.Quote(ends.OutputFile));
            else if (i == stages.Count - 1 && ends.Output is null) script.Append(" >&2");
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
