using Akka.Actor;
using OgActors.Coordinator.Classrooms;
using OgActors.Coordinator.Computers;
using OgActors.Coordinator.Domain;
using OgActors.Coordinator.Repositories;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;
using OgActors.Messages.Computers;
using OgActors.Messages.Images;
using OgActors.Messages.Repositories;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Sessions;

/// <summary>
/// Turns an operator's <see cref="SessionRequest"/> into a <see cref="SessionPlan"/>: checks the command's rules,
/// resolves the scope (classrooms and/or computers) to targets, and each classroom's transfer parameters from its
/// defaults plus the command's overrides. Refusals are one sentence, and nothing is persisted.
/// <para><b>Refuse up front what cannot work</b>, from what the computers and repositories report (<see cref="CheckReportsAsync"/>):
/// a repository the command would use that has not announced itself or is not running (and, for a restore, one that does not
/// hold the image); a partition the computer's inventory does not have; an image whose filesystem is of another family than
/// the target partition's (<see cref="PartitionCheck"/>). A computer that has never reported its inventory is not refused:
/// its job queues as an OpenGnsys administrator expects of a computer that is off, and its agent checks the partition when
/// the job runs. A computer that is offline now is checked against the inventory it last reported (journaled by the registry).</para>
/// </summary>
public sealed class SessionPlanner(CoordinatorDomain domain)
{
    public sealed record Result(SessionPlan? Plan, string? Refusal);

    public async Task<Result> PlanAsync(SessionRequest r, CancellationToken cancel = default)
    {
        if (r.OfflineTimeoutSeconds is <= 0) return No("The offline timeout must be a positive duration (--offline-timeout 10m).");
        // the scope's classrooms only (named, or holding a computer named), from the read side: O(scope), not O(history)
        var rooms = await domain.ClassroomsAsync(r.Classrooms ?? [], r.Computers ?? [], cancel);
        var method = r.Method ?? TransferMethod.Unicast;
        ImageView? image = null;

        // The command's own rules.
        switch (r.Kind)
        {
            case SessionKind.CreateImage:
                if ((r.Computers?.Count ?? 0) != 1 || (r.Classrooms?.Count ?? 0) > 0) return No("Create image acts on exactly one computer.");
                if (CheckPartition(r.Partition) is { } badPart) return No(badPart);
                if (Names.Check("repository", r.Repository) is { } badRepo) return No(badRepo);
                if (method != TransferMethod.Unicast) return No("An image is always uploaded to its repository by unicast.");
                if ((image = await domain.ImageAsync(r.Image ?? "", cancel)) is null) return No(NoImage(r.Image));
                break;
            case SessionKind.Restore or SessionKind.DeployImage or SessionKind.UpdateCache:
                if ((image = await domain.ImageAsync(r.Image ?? "", cancel)) is null) return No(NoImage(r.Image));
                if (image.Copies.Count == 0) return No($"Image {image.Canonical} has no file in any repository yet.");
                if (r.Kind == SessionKind.Restore && CheckPartition(r.Partition) is { } badRestore) return No(badRestore);
                if (r.Kind == SessionKind.DeployImage && r.Partition is not null && CheckPartition(r.Partition) is { } badDeploy) return No(badDeploy);
                if (r.Repository is { Length: > 0 } && image.Copies.All(c => c.Repository != r.Repository))
                    return No($"Repository {r.Repository} does not hold image {image.Canonical}.");
                break;
            case SessionKind.CloneRemote:
                if (method == TransferMethod.Torrent) return No("Remote partition cloning sends by unicast or multicast, not torrent.");
                if (CheckPartition(r.Partition) is { } badClone) return No(badClone);
                if (string.IsNullOrWhiteSpace(r.Master)) return No("Remote partition cloning needs a master computer (--master).");
                break;
        }

        CloneSource? source = null;
        if (r.Kind == SessionKind.CloneRemote)
        {
            if (ParseSource(r.Source) is not { } parsed) return No($"The source '{r.Source}' is not PART:N, IMG-CACHE:NAME or IMG-REPO:NAME.");
            source = parsed;
            if (source.Kind != CloneSourceKind.Partition && (image = await domain.ImageAsync(source.Image, cancel)) is null)
                return No(NoImage(source.Image));
        }

        // Scope → targets.
        var targets = new List<SessionTarget>();
        foreach (var name in r.Classrooms ?? [])
        {
            var room = rooms.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (room is null) return No($"Classroom {name} does not exist.");
            if (room.Computers.Count == 0) return No($"Classroom {room.Name} has no computers.");
            targets.AddRange(room.Computers.Select(pc => Target(room, pc)));
        }
        foreach (var name in r.Computers ?? [])
        {
            var found = rooms.SelectMany(room => room.Computers.Select(pc => (room, pc)))
                .FirstOrDefault(x => x.pc.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (found.pc is null) return No($"No classroom has a computer named {name}.");
            targets.Add(Target(found.room, found.pc));
        }
        targets = targets.DistinctBy(t => t.Computer, StringComparer.OrdinalIgnoreCase).ToList();
        if (targets.Count == 0) return No("The scope is empty: name classrooms or computers.");
        if (r.Kind is SessionKind.Restore or SessionKind.DeployImage or SessionKind.UpdateCache && FileInError(image!, r.Repository, targets) is { } broken)
            return No(broken);

        var master = "";
        if (r.Kind == SessionKind.CloneRemote)
        {
            if (targets.Count < 2) return No("Remote partition cloning needs a scope of more than one computer.");
            var m = targets.FirstOrDefault(t => t.Computer.Equals(r.Master, StringComparison.OrdinalIgnoreCase));
            if (m is null) return No($"The master {r.Master} is not in the scope.");
            master = m.Computer;
            targets = [.. targets.Select(t => t with { Role = t.Computer == master ? JobRole.Master : JobRole.Receiver })];
        }

        var partition = r.Kind switch
        {
            SessionKind.UpdateCache => 0,
            SessionKind.DeployImage => r.Partition ?? image!.Partition,
            _ => r.Partition ?? 0,
        };
        var reports = await CheckReportsAsync(r, image, source, partition, targets, cancel);
        if (reports.Refusal is not null) return No(reports.Refusal);
        targets = [.. targets.Select(t => reports.PartitionSizes.TryGetValue(t.Computer, out var size) ? t with { PartitionSizeBytes = size } : t)];

        // Classroom defaults + overrides.
        var parameters = new Dictionary<string, TransferParameters>();
        foreach (var room in targets.Select(t => t.Classroom).Distinct())
        {
            var defaults = rooms.First(c => c.Name == room);
            var m = defaults.Multicast;
            var multicast = new MulticastSettings(r.Port ?? m.Port, r.GroupAddress ?? m.GroupAddress, r.Duplex ?? m.Duplex,
                r.MaxMbps ?? m.MaxMbps, r.WaitForComputers ?? m.WaitForComputers, r.MaxWaitSeconds ?? m.MaxWaitSeconds);
            var p2p = new P2PSettings(r.P2PMode ?? defaults.P2P.Mode, r.SeedSeconds ?? defaults.P2P.SeedSeconds);
            if (ClassroomRules.CheckMulticast(multicast) is { } badM) return No(badM);
            if (ClassroomRules.CheckP2P(p2p) is { } badP) return No(badP);
            parameters[room] = new TransferParameters(multicast, p2p);
        }

        var imageName = r.Kind == SessionKind.CloneRemote ? source!.Kind == CloneSourceKind.Partition ? "" : source.Image : image!.Canonical;
        return new Result(new SessionPlan(r.Kind, imageName, image?.Revision ?? 0, partition, r.Repository ?? "", method, master, source,
            targets, parameters, r.OfflineTimeoutSeconds is { } limit ? TimeSpan.FromSeconds(limit) : null,
            image?.Copies.Where(c => c.Folder.Length > 0).DistinctBy(c => c.Repository).ToDictionary(c => c.Repository, c => c.Folder),
            image?.Revisions,
            r.Kind is SessionKind.Restore or SessionKind.DeployImage or SessionKind.UpdateCache
                ? RepositoryAlternates.Copies(image!.Copies, reports.Repositories) : null), null);
    }

    /// <param name="Repositories">The repository registry's list (null: not known), from which the plan's copies take their addresses.</param>
    private sealed record Reports(string? Refusal, IReadOnlyDictionary<string, long> PartitionSizes, IReadOnlyList<RepositoryStatus>? Repositories = null);

    /// <summary>
    /// Checks the command against what the repositories announce and what the computers report: the repositories it would use
    /// (exist, run, hold the image), the partitions it names (exist on each computer that reported its inventory; filesystem
    /// of the image's family). Returns the first refusal, else the size of the session's partition on each computer that
    /// reported it (a create-image job's upload limit comes from it).
    /// </summary>
    private async Task<Reports> CheckReportsAsync(SessionRequest r, ImageView? image, CloneSource? source, int partition,
        IReadOnlyList<SessionTarget> targets, CancellationToken cancel)
    {
        var sizes = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        IReadOnlyList<RepositoryStatus>? repositories;
        IReadOnlyList<ComputerStatus>? computers;
        try
        {
            repositories = await domain.RepositoriesAsync(cancel);
            computers = await domain.ComputersAsync(cancel);
        }
        catch (AskTimeoutException)
        {
            return new Reports("The computer or repository registry did not answer in time; try again.", sizes);
        }

        // The repositories the command would use.
        string RepositoryOf(SessionTarget t) => r.Repository is { Length: > 0 } named ? named : t.Repository;
        switch (r.Kind)
        {
            case SessionKind.CreateImage when repositories is not null:
                if (RepositoryCheck.CheckUploadable(repositories, r.Repository!, $"{targets[0].Computer} cannot upload image {image!.Canonical} to it") is { } noUpload)
                    return new Reports(noUpload, sizes);
                break;
            case SessionKind.Restore or SessionKind.DeployImage or SessionKind.UpdateCache:
                foreach (var group in targets.GroupBy(RepositoryOf))
                {
                    var who = Computers(group);
                    if (group.Key.Length == 0)
                        return new Reports($"{who} {(group.Count() == 1 ? "has" : "have")} no repository in {(group.Count() == 1 ? "its" : "their")} classroom " +
                            $"record: assign one (classroom add-computer --repo) or name one with --repo.", sizes);
                    if (repositories is not null && RepositoryCheck.CheckRunning(repositories, group.Key, $"{who} cannot fetch image {image!.Canonical} from it") is { } down)
                        return new Reports(down, sizes);
                    if (image!.Copies.All(c => c.Repository != group.Key))
                        return new Reports($"Image {image.Canonical} is not in repository {group.Key}, which {who} would restore from; " +
                            "name a repository that holds it with --repo.", sizes);
                }
                break;
            case SessionKind.CloneRemote when source is { Kind: CloneSourceKind.RepositoryImage }:
                var masterTarget = targets.First(t => t.Role == JobRole.Master);
                var from = RepositoryOf(masterTarget);
                if (from.Length == 0)
                    return new Reports($"The master {masterTarget.Computer} has no repository in its classroom record to fetch image {image!.Canonical} from: name one with --repo.", sizes);
                if (repositories is not null && RepositoryCheck.CheckRunning(repositories, from, $"the master {masterTarget.Computer} cannot fetch image {image!.Canonical} from it") is { } masterDown)
                    return new Reports(masterDown, sizes);
                if (image!.Copies.All(c => c.Repository != from))
                    return new Reports($"Image {image.Canonical} is not in repository {from}, which the master {masterTarget.Computer} would fetch it from; name one that holds it with --repo.", sizes);
                break;
        }

        // The partitions the command names, on every computer that has reported its inventory.
        if (computers is null || r.Kind == SessionKind.UpdateCache) return new Reports(null, sizes, repositories);
        var known = computers.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Inventory, StringComparer.OrdinalIgnoreCase);
        PartitionInfo? masterPartition = null;
        var refusals = new List<(string Computer, string Sentence)>();
        if (r.Kind == SessionKind.CloneRemote && source is { Kind: CloneSourceKind.Partition }
            && targets.First(t => t.Role == JobRole.Master) is var m && known.TryGetValue(m.Computer, out var masterInventory))
        {
            var (found, missing) = PartitionCheck.Find(masterInventory, source.Partition);
            if (missing is not null) return new Reports($"The master {missing}", sizes);
            masterPartition = found;
        }
        foreach (var t in targets)
        {
            if (!known.TryGetValue(t.Computer, out var inventory)) continue; // never reported: its agent checks when the job runs
            if (t.Role == JobRole.Master)
            {
                if (masterPartition is not null) sizes[t.Computer] = masterPartition.SizeBytes;
                continue; // it sends; what it receives nothing into
            }
            var (target, absent) = PartitionCheck.Find(inventory, partition);
            if (absent is not null) { refusals.Add((t.Computer, absent)); continue; }
            sizes[t.Computer] = target!.SizeBytes;
            var mismatch = r.Kind switch
            {
                SessionKind.CreateImage => PartitionCheck.CheckCapture(image!.Canonical, image.PartitionType, t.Computer, target),
                SessionKind.CloneRemote when masterPartition is not null => PartitionCheck.CheckClone(r.Master!, masterPartition, t.Computer, target),
                SessionKind.CloneRemote when source is { Kind: CloneSourceKind.Partition } => null, // the master never reported: nothing to compare with
                _ => PartitionCheck.CheckRestore(image!.Canonical, ImageFilesystem(image, RepositoryOf(t)), t.Computer, target),
            };
            if (mismatch is not null) refusals.Add((t.Computer, mismatch));
        }
        if (refusals.Count == 0) return new Reports(null, sizes, repositories);
        var first = refusals[0].Sentence;
        return new Reports(refusals.Count == 1 ? first
            : $"{first.TrimEnd('.')}; {refusals.Count - 1} more computer{(refusals.Count == 2 ? "" : "s")} of the scope cannot take it either " +
              $"({Computers(refusals.Skip(1).Select(x => x.Computer))}).", sizes);
    }

    /// <summary>The filesystem an image's file holds (the copy a computer would restore from, else any copy), else its defined partition type.</summary>
    private static string ImageFilesystem(ImageView image, string repository)
    {
        var copy = image.Copies.FirstOrDefault(c => c.Repository == repository && c.State == "ready") ?? image.Copies.FirstOrDefault(c => c.State == "ready");
        return copy?.Info.Filesystem is { Length: > 0 } fs ? fs : image.PartitionType;
    }

    /// <summary>"pc01", "pc01 and pc02", "pc01, pc02, pc03 and 37 more".</summary>
    private static string Computers(IEnumerable<SessionTarget> targets) => Computers(targets.Select(t => t.Computer));

    private static string Computers(IEnumerable<string> names)
    {
        var all = names.ToList();
        return all.Count switch
        {
            1 => all[0],
            <= 4 => $"{string.Join(", ", all.Take(all.Count - 1))} and {all[^1]}",
            _ => $"{string.Join(", ", all.Take(3))} and {all.Count - 3} more",
        };
    }

    /// <summary>A sentence when the image's file on the repository a computer would restore from is in error.</summary>
    private static string? FileInError(ImageView image, string? repository, IEnumerable<SessionTarget> targets)
    {
        var repositories = repository is { Length: > 0 } ? [repository] : targets.Select(t => t.Repository).Distinct().ToList();
        foreach (var name in repositories)
            if (image.Copies.FirstOrDefault(c => c.Repository == name && c.State == "error") is { } bad)
                return $"Image {image.Canonical} cannot be deployed from repository {name}: its file is in error ({bad.Error.TrimEnd('.')}).";
        return null;
    }

    /// <summary>Plans the request and starts the session; replies Accepted(session id) or Refused.</summary>
    public async Task<object> StartAsync(SessionRequest request, string by, CancellationToken cancel = default)
    {
        var result = await PlanAsync(request, cancel);
        if (result.Plan is null) return new Refused(result.Refusal!);
        return await domain.AskAsync(new StartSession(NewId(), result.Plan, by), cancel);
    }

    public static string NewId() => $"{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..4]}";

    public static CloneSource? ParseSource(string? text)
    {
        var parts = (text ?? "").Split(':', 2);
        if (parts.Length != 2 || parts[1].Length == 0) return null;
        return parts[0].ToUpperInvariant() switch
        {
            "PART" => int.TryParse(parts[1], out var n) && n is >= 1 and <= 128 ? new CloneSource(CloneSourceKind.Partition, n, "") : null,
            "IMG-CACHE" => new CloneSource(CloneSourceKind.CacheImage, 0, parts[1]),
            "IMG-REPO" => new CloneSource(CloneSourceKind.RepositoryImage, 0, parts[1]),
            _ => null,
        };
    }

    private static SessionTarget Target(ClassroomView room, ComputerRecord pc) =>
        new(pc.Name, room.Name, pc.Ip, pc.Mac, pc.Repository, pc.CacheSizeBytes, JobRole.Single);

    private static string? CheckPartition(int? partition) => partition switch
    {
        null => "The partition is required (--partition N).",
        < 1 or > 128 => $"The partition {partition} must be a number between 1 and 128.",
        _ => null,
    };

    private static string NoImage(string? name) => string.IsNullOrWhiteSpace(name) ? "The image is required (--image NAME)." : $"Image {name} is not defined.";
    private static Result No(string reason) => new(null, reason);
}
