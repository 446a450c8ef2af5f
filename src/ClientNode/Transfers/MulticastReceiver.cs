using System.Security.Cryptography;
using OgActors.ClientNode.Cache;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Progress;
using OgActors.Imaging.Streams;

namespace OgActors.ClientNode.Transfers;

/// <summary>Where a computer listens for one multicast stream, and which stream its job expects.</summary>
/// <param name="Interface">udpcast <c>--interface</c>; "" = the interface the group is routed through.</param>
/// <param name="ReceiveTimeoutSeconds">udp-receiver <c>--receive-timeout</c>: a receiver the sender dropped notices it this fast.</param>
public sealed record MulticastReceiveRequest(
    string Group, int Port, int StartTimeoutSeconds, MulticastStreamHeader Expected, string Interface = "", int ReceiveTimeoutSeconds = 15)
{
    /// <summary>Test hook: run udp-receiver under this command (e.g. <c>ip netns exec NS</c>).</summary>
    public IReadOnlyList<string>? Wrapper { get; init; }

    public IReadOnlyList<string> Arguments()
    {
        var iface = Interface.Length > 0 ? Interface : MulticastRoute.InterfaceFor(Group);
        var args = new List<string> { "--nokbd", "--portbase", Port.ToString(), "--mcast-rdv-address", Group, "--ttl", "1",
            "--start-timeout", StartTimeoutSeconds.ToString(), "--receive-timeout", ReceiveTimeoutSeconds.ToString(),
            "--rcvbuf", (8 << 20).ToString() }; // a large socket buffer: a receiver busy writing loses fewer packets (fewer re-transmissions)
        if (iface.Length > 0) args.AddRange(["--interface", iface]);
        return args;
    }
}

/// <summary>The stream on the group is not the one the job expects (another session, image or content): nothing was written.</summary>
public sealed class MulticastStreamRefusedException(string message) : Exception(message);

/// <summary>The multicast did not bring the whole image (receiver failed, dropped, stream cut or corrupt): the job catches up by unicast.</summary>
public sealed class MulticastReceiveException(string message, bool partitionWritten = false) : Exception(message)
{
    public bool PartitionWritten { get; } = partitionWritten;
}

/// <summary>
/// One real <c>udp-receiver</c> for one job, supervised (<see cref="Dispose"/> kills it). Its output is read here: first the
/// stream identity header (<see cref="MulticastStreamHeader"/>), refused unless it names the job's session, image, revision
/// and full sum — before a byte is written anywhere —, then exactly the image's bytes, hashed (MD5) and counted as they
/// arrive (the job's progress), into the cache (<see cref="IntoCacheAsync"/>) or straight into the restore pipeline
/// (<see cref="RestoreAsync"/>). The whole stream must match the full sum: a cache copy is committed, a restore recorded, only then.
/// </summary>
public sealed class MulticastReceiver : IDisposable
{
    private readonly UdpcastProcess _process;
    private readonly MulticastReceiveRequest _request;

    private MulticastReceiver(UdpcastProcess process, MulticastReceiveRequest request) { _process = process; _request = request; }

    /// <summary>Is udp-receiver installed (a computer without it does not announce multicast jobs)?</summary>
    public static bool Available => Imaging.Processes.ToolLocator.IsInstalled("udp-receiver");

    public static MulticastReceiver Start(MulticastReceiveRequest request) =>
        new(UdpcastProcess.Start("udp-receiver", request.Arguments(), input: false, output: true, request.Wrapper), request);

    public int ProcessId => _process.Id;

    /// <summary>Receives into the cache's partial copy, then commits it (which checks the full MD5 again on disk).</summary>
    public async Task<CacheUpdateResult> IntoCacheAsync(ImageCache cache, RepositoryImageFacts image,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        await CheckIdentityAsync(cancellationToken);
        var meter = new ProgressMeter(progress, image.SizeBytes);
        cache.BeginPartial(image.Name, image.FullSum);
        var body = new HashingReadStream(_process.Output, _request.Expected.Size, n => meter.Report(n));
        await using (var file = new FileStream(cache.PartialPath(image.Name), FileMode.Create, FileAccess.Write, FileShare.Read, 1, FileOptions.Asynchronous))
        {
            await Cancellable(() => body.CopyToAsync(file, 1 << 20, cancellationToken), cancellationToken);
            await file.FlushAsync(cancellationToken);
        }
        var received = await EnsureWholeAsync(body, written: false, cancellationToken);
        meter.Report(image.SizeBytes, force: true);
        // The MD5 was taken over the very bytes written into the partial copy: no second read of the whole file.
        var committed = await cache.CommitHashedAsync(image.Name, image.FullSum, received, cancellationToken);
        return new CacheUpdateResult(committed, 0, body.Count, meter.Elapsed);
    }

    /// <summary>
    /// Receives straight into the restore pipeline (decompressor → restore tool). <paramref name="writing"/> is called once
    /// the identity is checked, just before the first byte goes to the partition.
    /// </summary>
    public async Task<RestoreResult> RestoreAsync(PartitionImageInfo format, string target, Action writing,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        await CheckIdentityAsync(cancellationToken);
        TargetCheck.EnsureFits(format, target, _request.Expected.Image);
        var body = new HashingReadStream(_process.Output, _request.Expected.Size, null);
        writing();
        RestoreResult result;
        try
        {
            result = await RestorePipeline.RestoreAsync(body, format with { StoredSize = _request.Expected.Size }, target, progress, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && !cancellationToken.IsCancellationRequested && body.Count < _request.Expected.Size)
        {
            throw new MulticastReceiveException(Cut(body.Count, e.Message), partitionWritten: true);
        }
        await EnsureWholeAsync(body, written: true, cancellationToken);
        return result;
    }

    private async Task CheckIdentityAsync(CancellationToken cancellationToken)
    {
        MulticastStreamHeader header;
        try
        {
            header = await Cancellable(() => MulticastStreamHeader.ReadAsync(_process.Output, cancellationToken), cancellationToken);
        }
        catch (InvalidDataException e) when (e.Message.Contains("ended before"))
        {
            var code = await _process.WaitAsync(cancellationToken);
            throw new MulticastReceiveException($"No multicast stream arrived on {_request.Group}:{_request.Port}: {_process.ExitSentence(code)}");
        }
        catch (InvalidDataException e)
        {
            _process.Kill();
            throw new MulticastStreamRefusedException($"The stream on {_request.Group}:{_request.Port} was refused: {e.Message.TrimEnd('.')}; nothing was written.");
        }
        if (header.Mismatch(_request.Expected) is { } why)
        {
            _process.Kill();
            throw new MulticastStreamRefusedException(
                $"The stream on {_request.Group}:{_request.Port} is not this job's (it carries {why}); it was refused and nothing was written.");
        }
    }

    /// <summary>Reads what is left (a restore tool may stop before the end), then checks the length and the full MD5, which it returns.</summary>
    private async Task<string> EnsureWholeAsync(HashingReadStream body, bool written, CancellationToken cancellationToken)
    {
        await Cancellable(() => body.CopyToAsync(Stream.Null, 1 << 20, cancellationToken), cancellationToken);
        var expected = _request.Expected;
        if (body.Count < expected.Size)
        {
            var code = await _process.WaitAsync(cancellationToken);
            throw new MulticastReceiveException(Cut(body.Count, _process.ExitSentence(code)), written);
        }
        var sum = body.Md5Hex();
        if (!string.Equals(sum, expected.FullSum, StringComparison.OrdinalIgnoreCase))
            throw new MulticastReceiveException($"The multicast stream of {expected.Image} has MD5 {sum}, not the full sum {expected.FullSum.ToLowerInvariant()}.", written);
        try { await _process.WaitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken); }
        catch (TimeoutException) { _process.Kill(); } // every byte arrived and matched: a receiver slow to say goodbye is not waited for
        return sum;
    }

    private string Cut(long got, string why) =>
        $"The multicast stream of {_request.Expected.Image} on {_request.Group}:{_request.Port} broke off at {got} of {_request.Expected.Size} bytes ({why.TrimEnd('.')}).";

    /// <summary>Runs <paramref name="work"/>, killing the receiver when the job is cancelled (a blocked pipe read then ends).</summary>
    private async Task<T> Cancellable<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await using var kill = cancellationToken.Register(_process.Kill);
        return await work();
    }

    private async Task Cancellable(Func<Task> work, CancellationToken cancellationToken)
    {
        await using var kill = cancellationToken.Register(_process.Kill);
        await work();
        cancellationToken.ThrowIfCancellationRequested();
    }

    public void Dispose() => _process.Dispose();
}
