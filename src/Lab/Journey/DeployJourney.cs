using System.Diagnostics;
using System.Globalization;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Sessions;

namespace OgActors.Lab.Journey;

/// <summary>
/// The main job: start the all-in-one lab with 4 computers holding real filesystems, then as an operator through the
/// HTTP API define the classroom and the image, capture pc01's partition 1 into repo1, wait for the image to link,
/// deploy it by unicast to pc02–pc04 (pc04 directly: its cache is too small), verify every restored partition and
/// print the table. Everything it measured goes to DIR/journey.json.
/// </summary>
/// <summary>Which journey: the loopback lab (4 computers, pc04 direct) or a virtual classroom of N computers on shaped links.</summary>
public sealed record JourneyPlan(bool Virtual = false, int Computers = 4, int LinkMbit = 200, int RepositoryLinkMbit = 0, int ImageMiB = 0,
    string Protocol = "unicast", string P2PMode = "peer")
{
    public static readonly IReadOnlyList<string> Protocols = ["unicast", "multicast", "master", "torrent"];
    /// <summary>The torrent journey's modes: peer (computers share what they have) or leecher (they do not).</summary>
    public static readonly IReadOnlyList<string> P2PModes = ["peer", "leecher"];
    public bool Multicast => Protocol == "multicast";
    /// <summary>P2P: the repository's opentracker and aria2 seeder, one aria2c per computer (<see cref="P2PMode"/>).</summary>
    public bool Torrent => Protocol == "torrent";
    /// <summary>Remote cloning: pc01 fetches the image from the repository by unicast and relays it to the others by multicast.</summary>
    public bool Master => Protocol == "master";
    /// <summary>The session API's method name for the protocol.</summary>
    public string Method => Multicast ? "Multicast" : Torrent ? "Torrent" : "Unicast";

    public int RepositoryMbit => RepositoryLinkMbit > 0 ? RepositoryLinkMbit : LinkMbit;
    public IReadOnlyList<string> Targets => Virtual ? [.. Enumerable.Range(2, Computers - 1).Select(i => $"pc{i:00}")] : JourneyPartitions.Targets;
}

public sealed class DeployJourney(string dataDir, TextWriter output, JourneyPlan? plan = null)
{
    private readonly JourneyPlan _plan = plan ?? new JourneyPlan();

    public const string Classroom = "aula1";
    public const string Image = "ubuntu-lab";
    public const int Partition = 1;
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// How long the deploy session may take: 120 s, and 10 s more per target beyond 6 — on 2 cores every computer's
    /// receiving, checking and restoring shares the same CPU, so a 16-computer classroom needs longer than a few.
    /// </summary>
    public static TimeSpan SessionLimit(int targets) => SessionTimeout + TimeSpan.FromSeconds(10 * Math.Max(0, targets - 6));

    public async Task<JourneyReport> RunAsync(CancellationToken cancel)
    {
        var total = Stopwatch.StartNew();
        double labStart = 0, capture = 0, incorporation = 0, deploy = 0;
        string infoLine = "", failure = "";
        var revision = 0;
        var modelFiles = 0;
        var rows = new List<JourneyRow>();
        IRunningLab? lab = null;
        JourneyLimit? limit = null;
        var targets = _plan.Targets;
        try
        {
            Say($"formatting pc01's partitions in {dataDir}: ext4 with generated content (partition 1), NTFS (partition 2)");
            var (_, count, bytes) = await JourneyPartitions.PrepareModelAsync(dataDir, cancel, _plan.Virtual ? _plan.ImageMiB : 0);
            Say($"  {count} files, {bytes / (1024.0 * 1024):0.0} MiB written into partition 1 by mkfs.ext4 -d");

            var step = Stopwatch.StartNew();
            lab = _plan.Virtual
                ? await Virtual.VirtualLab.StartAsync(new Virtual.VirtualLabOptions
                {
                    DataDir = dataDir, Computers = _plan.Computers, LinkMbit = _plan.LinkMbit, RepositoryLinkMbit = _plan.RepositoryMbit,
                    Computer = i => JourneyPartitions.Computer(i, _plan.ImageMiB, false),
                }, null, cancel)
                : await AllInOneLab.StartAsync(new LabOptions
                {
                    DataDir = dataDir, Computers = 4, Computer = JourneyPartitions.Computer,
                }, cancel);
            labStart = step.Elapsed.TotalSeconds;
            Say($"lab ready in {labStart:0.0} s: coordinator API {lab.Manifest.ApiUrl}, repository {lab.Manifest.Repository.Name} at {lab.Manifest.Repository.HttpUrl}");
            using var api = new OperatorApi(lab.Manifest.ApiUrl, lab.Token);
            var repo = lab.Manifest.Repository.Name;

            Say($"defining classroom {Classroom} with pc01-pc04 and image {Image}");
            // A virtual classroom is defined from the lab's real addresses (what each computer reports); the loopback lab's
            // computers all share 127.0.0.1, so they get addresses of a made-up network.
            await api.PostAsync("classrooms", new { name = Classroom, network = _plan.Virtual ? Virtual.ClassroomNetwork.Network : "10.36.0.0/24" }, cancel);
            foreach (var (c, i) in lab.Manifest.Computers.Select((c, i) => (c, i)))
                await api.PostAsync($"classrooms/{Classroom}/computers",
                    new { name = c.Name, ip = _plan.Virtual ? c.Ip : $"10.36.0.{11 + i}", mac = c.Mac, repository = repo, cacheSizeBytes = c.CacheCapacityBytes }, cancel);
            await api.PostAsync("images", new
            {
                canonical = Image, displayName = "Ubuntu lab", softwareProfile = "ext4 with generated lab content", partition = Partition,
                partitionType = "EXT4", repository = repo, comments = "captured by the main job",
            }, cancel);

            if (_plan.Multicast || _plan.Master)
            {
                // The classroom's multicast defaults may not cap the stream below the slowest link the limit is counted on.
                var mbit = Math.Min(_plan.LinkMbit, _plan.RepositoryMbit);
                Say($"classroom {Classroom}: multicast group {Virtual.ClassroomNetwork.MulticastGroup}, at most {mbit} Mbit/s (the slowest link)");
                await api.PostAsync($"classrooms/{Classroom}/multicast", new { maxMbps = mbit }, cancel);
            }

            var model = JourneyVerifier.ChecksumsAsync(lab.ComputerFiles[JourneyPartitions.Model].Partitions[0].File, Path.Combine(dataDir, "journey"), cancel);
            var expected = await model;
            modelFiles = expected.Count;

            Say($"create-image: pc01 partition {Partition} → {Image} in {repo}");
            step.Restart();
            var createId = await api.PostAsync("sessions", new
            {
                kind = "CreateImage", computers = new[] { JourneyPartitions.Model }, partition = Partition, image = Image, repository = repo, method = "Unicast",
            }, cancel) ?? throw new JourneyException("The API started the capture session without an id.");
            var created = await WaitAsync(api, createId, cancel);
            capture = step.Elapsed.TotalSeconds;
            var captureJob = created.Jobs.Single();
            if (created.Outcome != SessionOutcome.Succeeded)
                throw new JourneyException($"The capture session {createId} ended {created.Outcome}: {captureJob.Error}");
            Say($"  captured {captureJob.Bytes:N0} bytes in {capture:0.0} s");

            step.Restart();
            var image = await api.ImageAsync(Image, cancel);
            while (image.Copies.Count == 0 || image.Revision == 0)
            {
                if (step.Elapsed > SessionTimeout) throw new JourneyException($"Image {Image} was not linked to a repository file within {SessionTimeout.TotalSeconds:0} s of the capture.");
                await Task.Delay(200, cancel);
                image = await api.ImageAsync(Image, cancel);
            }
            incorporation = step.Elapsed.TotalSeconds;
            var copy = image.Copies.OrderByDescending(c => c.Revision).First();
            infoLine = copy.Info.OgLine;
            revision = image.Revision;
            Say($"image {Image} revision {revision} linked in {repo} after {incorporation:0.0} s; info line: {infoLine}");
            Say($"profile: {await JourneyProfile.LineAsync(api, Image, cancel)}"); // issue 17: read by the repository from the image
            Console.Out.Flush();

            Dictionary<string, JobView> network = new(StringComparer.OrdinalIgnoreCase);
            SessionView? relayed = null;
            if (_plan.Master)
            {
                // clone-remote IMG-REPO: the master (pc01) fetches the image once by unicast, then multicasts it to the others,
                // which restore it straight into their partition. Limit: the fetch (repository link or the master's link,
                // the slower), then one multicast pass over the computers' links (wire bytes with the headers).
                var imageBytes = new FileInfo(Path.Combine(lab.Manifest.ImagesDir, Image + ".img")).Length;
                var master = JourneyPartitions.Model;
                Say($"clone-remote --master {master} --source IMG-REPO:{Image} --method multicast --partition {Partition} --scope {master},{string.Join(',', targets)} ({imageBytes:N0} bytes)");
                step.Restart();
                var cloneId = await api.PostAsync("sessions", new
                {
                    kind = "CloneRemote", computers = new[] { master }.Concat(targets).ToArray(), master, source = $"IMG-REPO:{Image}",
                    partition = Partition, method = "Multicast",
                }, cancel) ?? throw new JourneyException("The API started the clone-remote session without an id.");
                relayed = await WaitAsync(api, cloneId, cancel);
                var seconds = relayed.FinishedAt is { } end ? (end - relayed.CreatedAt).TotalSeconds : step.Elapsed.TotalSeconds;
                var wire = MulticastWire.WireBytes(imageBytes);
                var repoLimit = JourneyLimit.SecondsFor(imageBytes, _plan.RepositoryMbit);
                var pcLimit = JourneyLimit.SecondsFor(imageBytes, _plan.LinkMbit) + JourneyLimit.SecondsFor(wire, _plan.LinkMbit);
                var bound = Math.Max(repoLimit, JourneyLimit.SecondsFor(imageBytes, _plan.LinkMbit)) + JourneyLimit.SecondsFor(wire, _plan.LinkMbit);
                if (relayed.Outcome != SessionOutcome.Succeeded) seconds = 0;
                limit = new JourneyLimit(_plan.Protocol, targets.Count, imageBytes, _plan.LinkMbit, _plan.RepositoryMbit, repoLimit, pcLimit, bound, seconds,
                    seconds / bound, seconds, Timeline(relayed), wire, $"master relay: one unicast fetch, then {MulticastWire.Rule}");
                var masterJob = relayed.Jobs.Single(j => j.Computer == master);
                Say($"  master {master}: {masterJob.Status} — {masterJob.Reason} {masterJob.Error}".TrimEnd());
                if (relayed.Outcome != SessionOutcome.Succeeded)
                    throw new JourneyException($"The clone-remote session {cloneId} ended {relayed.Outcome}: {relayed.Jobs.FirstOrDefault(j => j.Status != JobStatus.Succeeded)?.Error}");
            }
            else if (_plan.Virtual)
            {
                // The network phase alone (updateCache), timed against the wire's limit; the restore from the caches follows.
                var imageBytes = new FileInfo(Path.Combine(lab.Manifest.ImagesDir, Image + ".img")).Length;
                Say($"deploy --mode updateCache --protocol {_plan.Protocol}{P2PFlag} --image {Image} --scope {string.Join(',', targets)} ({imageBytes:N0} bytes each)");
                step.Restart();
                // The repository's link counters (its eth0 in the servers' namespace) around the network phase: what it uploaded.
                var server = lab.Manifest.Network?.ServerNamespace ?? throw new JourneyException("The virtual lab's manifest names no servers' namespace.");
                var sentBefore = Virtual.NetNs.TxBytes(server);
                var cacheId = await api.PostAsync("sessions", SessionBody("UpdateCache", targets), cancel)
                    ?? throw new JourneyException("The API started the updateCache session without an id.");
                var cached = await WaitAsync(api, cacheId, cancel);
                var repositorySent = Virtual.NetNs.TxBytes(server) - sentBefore;
                // The session's own clock (created → finished, as the coordinator recorded it), not this poll loop's.
                var networkSeconds = cached.FinishedAt is { } end ? (end - cached.CreatedAt).TotalSeconds : step.Elapsed.TotalSeconds;
                foreach (var j in cached.Jobs) network[j.Computer] = j;
                // Unicast: N copies over the repository's link, image bytes only (the issue's definition). Multicast: one pass
                // for all, its wire bytes with the headers (MulticastWire), over the repository's link and each computer's.
                // Torrent in peer mode: image bytes only; every computer receives the whole image through its own link, the
                // repository sends every byte at least once, and the N copies are uploaded by the repository and the computers
                // together (TorrentLimit). In leecher mode the computers share nothing: unicast's limit (N copies from the repository).
                var wire = _plan.Multicast ? MulticastWire.WireBytes(imageBytes) : 0;
                var sharing = _plan.Torrent && _plan.P2PMode == "peer";
                var repoLimit = _plan.Multicast
                    ? JourneyLimit.SecondsFor(wire, _plan.RepositoryMbit)
                    : sharing ? JourneyLimit.SecondsFor(imageBytes, _plan.RepositoryMbit)
                    : JourneyLimit.SecondsFor(targets.Count * imageBytes, _plan.RepositoryMbit);
                var pcLimit = JourneyLimit.SecondsFor(_plan.Multicast ? wire : imageBytes, _plan.LinkMbit);
                var swarmLimit = sharing ? TorrentLimit.SwarmSeconds(targets.Count, imageBytes, _plan.RepositoryMbit, _plan.LinkMbit) : 0;
                var bound = Math.Max(Math.Max(repoLimit, pcLimit), swarmLimit);
                // A failed network phase keeps its limit in the report (for the harness) but no measured time or ratio.
                if (cached.Outcome != SessionOutcome.Succeeded) networkSeconds = 0;
                limit = new JourneyLimit(_plan.Protocol, targets.Count, imageBytes, _plan.LinkMbit, _plan.RepositoryMbit, repoLimit, pcLimit, bound, networkSeconds,
                    networkSeconds / bound, 0, Timeline(cached), wire,
                    _plan.Multicast ? MulticastWire.Rule : sharing ? TorrentLimit.Rule : _plan.Torrent ? "image bytes only; leecher mode: the computers share nothing, so N copies from the repository as unicast" : "image bytes only",
                    repositorySent, swarmLimit, _plan.Torrent ? _plan.P2PMode : "", LoadAverage.Now());
                if (cached.Outcome != SessionOutcome.Succeeded)
                    throw new JourneyException($"The updateCache session {cacheId} ended {cached.Outcome}: {cached.Jobs.FirstOrDefault(j => j.Status != JobStatus.Succeeded)?.Error}");
                Say(string.Create(CultureInfo.InvariantCulture,
                    $"  network phase timeline (s after the session was created): {string.Join(", ", limit.Timeline!.Select(t => $"{t.Computer} started {t.StartedSeconds:0.00}, finished {t.FinishedSeconds:0.00}"))}; session finished {networkSeconds:0.00}; the repository's link sent {repositorySent:N0} bytes ({limit.RepositoryUploadRatio:0.00} × the image)"));
            }

            SessionView deployed;
            if (relayed is not null) { deployed = relayed; deploy = limit!.Seconds; } // the relay restored the partitions itself
            else
            {
                Say($"deploy --mode deployImage --protocol {_plan.Protocol}{P2PFlag} --image {Image} --scope {string.Join(',', targets)}");
                step.Restart();
                var deployId = await api.PostAsync("sessions", SessionBody("DeployImage", targets), cancel)
                    ?? throw new JourneyException("The API started the deploy session without an id.");
                deployed = await WaitAsync(api, deployId, cancel);
                deploy = step.Elapsed.TotalSeconds;
            }
            if (limit is not null) limit = limit with { RestoreSeconds = deploy };

            Say("verifying every restored partition: e2fsck -fn, then every file's SHA-256 against pc01's");
            rows.Add(new JourneyRow(JourneyPartitions.Model, "capture", $"create-image to {repo}", captureJob.Bytes, captureJob.Duration.TotalSeconds, "ok", ""));
            foreach (var name in targets)
            {
                if (network.TryGetValue(name, out var pulled))
                    rows.Add(new JourneyRow(name, pulled.Path, "updateCache", pulled.Bytes, pulled.Duration.TotalSeconds,
                        pulled.Status == JobStatus.Succeeded ? "ok" : "FAILED", pulled.Error ?? ""));
                var job = deployed.Jobs.FirstOrDefault(j => j.Computer.Equals(name, StringComparison.OrdinalIgnoreCase));
                if (job is null) { rows.Add(new JourneyRow(name, "-", "", 0, 0, "FAILED", "no job in the session")); continue; }
                string? problem = job.Status != JobStatus.Succeeded ? $"job {job.Status}: {job.Error}" : null;
                var wantDirect = !_plan.Virtual && name == JourneyPartitions.DirectComputer;
                var isDirect = job.Path.Contains("direct", StringComparison.OrdinalIgnoreCase);
                problem ??= wantDirect != isDirect ? $"expected the {(wantDirect ? "direct" : "cache")} path" : null;
                problem ??= await RecordedAsync(api, name, revision, cancel);
                problem ??= await JourneyVerifier.VerifyAsync(lab.ComputerFiles[name].Partitions[Partition - 1].File, expected, Path.Combine(dataDir, "journey"), cancel);
                rows.Add(new JourneyRow(name, job.Path, job.Reason, job.Bytes, job.Duration.TotalSeconds, problem is null ? "ok" : "FAILED",
                    problem ?? $"recorded r{revision}, fsck clean, {expected.Count} files identical"));
            }
            if (rows.FirstOrDefault(r => r.Result != "ok") is { } bad)
                failure = $"{bad.Computer} failed: {bad.Detail}";
        }
        catch (JourneyException e) { failure = e.Message; }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            failure = e.Message; // one sentence for the operator (a timeout, an I/O error, a refused request…); no stack trace
        }
        finally
        {
            if (lab is not null) { Say("stopping the lab"); await lab.StopAsync(); }
        }

        var report = new JourneyReport(failure.Length == 0, failure, Image, infoLine, revision, modelFiles, total.Elapsed.TotalSeconds, labStart,
            capture, incorporation, deploy, rows, limit);
        report.Write(dataDir);
        return report;
    }

    private string P2PFlag => _plan.Torrent ? $" --p2p-mode {_plan.P2PMode}" : "";

    /// <summary>An updateCache or deployImage session's body: the protocol's method and, for torrent, the P2P mode.</summary>
    private object SessionBody(string kind, IReadOnlyList<string> targets) => _plan.Torrent
        ? new { kind, computers = targets, image = Image, partition = Partition, method = _plan.Method, p2PMode = _plan.P2PMode }
        : new { kind, computers = targets, image = Image, partition = Partition, method = _plan.Method };

    /// <summary>When each job of a session started and finished, in seconds after the session was created (the coordinator's clock).</summary>
    private static IReadOnlyList<JourneyJobTimes> Timeline(SessionView session) =>
        [.. session.Jobs.Select(j => new JourneyJobTimes(j.Computer,
            j.StartedAt is { } s ? (s - session.CreatedAt).TotalSeconds : 0, j.FinishedAt is { } f ? (f - session.CreatedAt).TotalSeconds : 0))];

    /// <summary>Null once the classroom records that the computer's partition holds the image's revision (it may lag the session briefly).</summary>
    private static async Task<string?> RecordedAsync(OperatorApi api, string computer, int revision, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var room = await api.GetAsync<ClassroomView>($"classrooms/{Classroom}", cancel);
            var held = room.Computers.FirstOrDefault(c => c.Name.Equals(computer, StringComparison.OrdinalIgnoreCase))?.Partitions
                .FirstOrDefault(p => p.Partition == Partition);
            if (held is not null && held.Image == Image && held.Revision == revision) return null;
            if (DateTime.UtcNow > deadline)
                return $"classroom {Classroom} does not record {Image} r{revision} on partition {Partition} (it shows {(held is null ? "nothing" : $"{held.Image} r{held.Revision}")}).";
            await Task.Delay(200, cancel);
        }
    }

    /// <summary>Polls the session until it ends, printing each running job's progress every couple of seconds.</summary>
    private async Task<SessionView> WaitAsync(OperatorApi api, string id, CancellationToken cancel)
    {
        var watch = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        while (true)
        {
            var session = await api.SessionAsync(id, cancel);
            if (session.Outcome is not null) return session;
            var limit = SessionLimit(_plan.Targets.Count);
            if (watch.Elapsed > limit) throw new JourneyException($"Session {id} did not finish within {limit.TotalSeconds:0} s.");
            if (watch.Elapsed - lastPrint > TimeSpan.FromSeconds(2))
            {
                lastPrint = watch.Elapsed;
                foreach (var j in session.Jobs)
                    Say(string.Create(CultureInfo.InvariantCulture, $"  {j.Computer}: {j.Status} {j.Path} {j.Bytes / 1048576.0:0.0}/{j.TotalBytes / 1048576.0:0.0} MiB {j.BytesPerSecond / 1048576.0:0.0} MiB/s{(j.Waiting.Length > 0 ? " (" + j.Waiting + ")" : "")}"));
            }
            await Task.Delay(250, cancel);
        }
    }

    private void Say(string line) => output.WriteLine($"journey: {line}");
}
