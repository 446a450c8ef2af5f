using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using OgActors.Messages.Common;
using OgActors.Messages.Repositories;
using OgActors.RepositoryNode.Catalog;
using OgActors.RepositoryNode.Import;

namespace OgActors.RepositoryNode.Incorporation;

/// <summary>
/// Owns one images directory and its catalog (image → processing / ready / error / locked, with its info and sums).
///
/// Transitions of an image:
///   (NAME.img appears or changes) → Processing, settling until its size and time hold still for SettleTime
///   Processing → Verifying (incorporator: lock, stale sidecars out, inspect, decompress and walk the whole stream
///                while hashing it, sidecars in only if it verified, unlock; the catalog shows the percent verified)
///              → Ready (publish ImageFileAvailable) | Error (publish ImageFileRejected; NAME.img.error written)
///   any → Locked while NAME.img.lock is someone else's; Locked → Processing when the lock goes
///   any → gone when NAME.img disappears or is deleted (publish ImageFileRemoved)
/// A change seen while the image is being read makes it settle and be read again when the read ends. A Ready file
/// whose identity (size, mtime, ctime, device, inode) changes is no longer served (CatalogView checks the stamp on every request) and is verified
/// again; if it no longer verifies it goes to Error (ImageFileRejected with the sentence), never back to Ready.
/// On start, work recalled from NAME.img.info.json counts only for the very file it was written for; with
/// og.repository.reverify-on-start every recalled image is also verified again in the background while served.
///
/// It announces the repository (name, address, space, catalog) on start, on every change and periodically,
/// and answers <see cref="IRepositoryCommand"/>s (delete, import, catalog; the tracker view goes on to the P2P module).
/// </summary>
public sealed class RepositoryActor : ReceiveActor, IWithTimers
{
    // Local protocol of this actor (never leaves the process).
    private sealed record Touched(ImageKey Key) : INoSerializationVerificationNeeded;
    private sealed record Settled(ImageKey Key) : INoSerializationVerificationNeeded;
    private sealed record RescanSoon : INoSerializationVerificationNeeded;
    private sealed record Rescan : INoSerializationVerificationNeeded;
    private sealed record AnnounceIfChanged : INoSerializationVerificationNeeded;
    private sealed record AnnounceNow : INoSerializationVerificationNeeded;
    private sealed record Finished(IncorporationOutcome Outcome) : INoSerializationVerificationNeeded;
    private sealed record Verified(ImageKey Key, int Percent) : INoSerializationVerificationNeeded;
    private sealed record Crashed(ImageKey Key, FileStamp Stamp, string Reason) : INoSerializationVerificationNeeded;
    private sealed record Reverified(ImageKey Key, FileStamp Stamp, IncorporationOutcome.Rejected? Rejected) : INoSerializationVerificationNeeded;

    private readonly RepositoryActorSettings _settings;
    private readonly IActorRef _mediator;
    private readonly CatalogView _view;
    private readonly Incorporator _incorporator;
    private readonly ImageImporter _importer;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();

    // State
    private readonly Dictionary<ImageKey, CatalogEntry> _entries = new();
    private readonly Dictionary<ImageKey, (FileStamp Stamp, DateTimeOffset Since)> _settling = new();
    private readonly Dictionary<ImageKey, FileStamp> _reading = new();
    private readonly HashSet<ImageKey> _changedWhileReading = new();
    private readonly HashSet<ImageKey> _reverifiedSinceStart = new();
    private bool _announceDue = true;
    private ImagesDirectoryWatcher? _watcher;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RepositoryActorSettings settings, IActorRef mediator, CatalogView view) =>
        Akka.Actor.Props.Create(() => new RepositoryActor(settings, mediator, view));

    public RepositoryActor(RepositoryActorSettings settings, IActorRef mediator, CatalogView view)
    {
        _settings = settings;
        _mediator = mediator;
        _view = view;
        var self = Self;
        _incorporator = new Incorporator(settings, new VerificationProgress(self));
        _importer = new ImageImporter(settings.ImagesDirectory);

        Receive<Touched>(m => Examine(m.Key));
        Receive<Settled>(m => Examine(m.Key));
        Receive<RescanSoon>(_ => Timers.StartSingleTimer("rescan-soon", new Rescan(), TimeSpan.FromMilliseconds(250)));
        Receive<Rescan>(_ => RescanAll());
        Receive<Finished>(m => OnFinished(m.Outcome));
        Receive<Verified>(m =>
        {
            if (_reading.ContainsKey(m.Key) && _entries.GetValueOrDefault(m.Key) is { State: ImageFileState.Verifying } entry
                && entry.VerifiedPercent != m.Percent)
                Transition(entry with { VerifiedPercent = m.Percent });
        });
        Receive<Crashed>(m => OnFinished(new IncorporationOutcome.Rejected(m.Key, m.Stamp, m.Reason), crashed: true));
        Receive<Reverified>(m =>
        {
            // Only if the entry is still the recalled version: a change meanwhile is being incorporated anew.
            if (m.Rejected is { } rejected && _entries.GetValueOrDefault(m.Key) is { State: ImageFileState.Ready } entry
                && entry.Stamp == m.Stamp && !_reading.ContainsKey(m.Key))
            {
                _log.Warning("Image {0} no longer verifies: {1}", m.Key, rejected.Reason);
                Conclude(rejected);
            }
        });
        Receive<AnnounceIfChanged>(_ => { if (_announceDue) Announce(); });
        Receive<AnnounceNow>(_ => Announce());
        Receive<RequestRepositoryAnnouncements>(_ =>
        {
            Announce();
            if (!Sender.IsNobody()) Sender.Tell(Announcement()); // straight to the registry that asked, not only by pubsub
        });
        Receive<RequestImageFiles>(_ =>
        {
            foreach (var entry in _entries.Values.Where(e => e.State == ImageFileState.Ready)) Sender.Tell(Available(entry));
        });
        Receive<SubscribeAck>(_ => { });
        Receive<GetRepositoryCatalog>(m =>
        {
            var catalog = Announcement();
            Sender.Tell(m.Folder is null ? catalog : catalog with { Images = catalog.Images.Where(i => i.Folder == m.Folder).ToList() });
        });
        Receive<DeleteImageFile>(Delete);
        Receive<ImportImage>(Import);
        Receive<GetTrackerView>(TrackerView);
    }

    /// <summary>The tracker view is the P2P module's (/user/torrent): forwarded to it, or refused when this node runs none.</summary>
    private void TrackerView(GetTrackerView query)
    {
        var sender = Sender;
        var name = _settings.Name;
        Context.ActorSelection("/user/" + Torrent.TorrentActor.Name).Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(5))
            .ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully && t.Result.Subject is { } torrent) torrent.Tell(query, sender);
                else sender.Tell(new Refused($"Repository {name} runs no tracker: P2P is off there (opentracker or aria2c is not installed, or og.repository.torrent.enabled is off)."));
            });
    }

    protected override void PreStart()
    {
        Directory.CreateDirectory(_settings.ImagesDirectory);
        var self = Self;
        _watcher = new ImagesDirectoryWatcher(_settings.ImagesDirectory, key => self.Tell(new Touched(key)), () => self.Tell(new RescanSoon()));
        _mediator.Tell(new Subscribe(Topics.RepositoryDiscovery, Self));
        Timers.StartPeriodicTimer("rescan", new Rescan(), _settings.RescanInterval);
        Timers.StartPeriodicTimer("announce-if-changed", new AnnounceIfChanged(), TimeSpan.FromSeconds(1));
        Timers.StartPeriodicTimer("announce", new AnnounceNow(), _settings.AnnounceInterval);
        RescanAll();
        Announce();
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _watcher?.Dispose();
    }

    // ---- incorporation -------------------------------------------------------------------------------------------

    private void RescanAll()
    {
        var keys = ImagesDirectoryScan.ImageFiles(_settings.ImagesDirectory)
            .Concat(_entries.Keys).Concat(_settling.Keys).Distinct().ToList();
        foreach (var key in keys) Examine(key);
    }

    private void Examine(ImageKey key)
    {
        var files = new ImageFiles(_settings.ImagesDirectory, key);
        var stamp = FileStamp.Of(files.Image);
        _entries.TryGetValue(key, out var entry);

        if (_reading.TryGetValue(key, out var beingRead))
        {
            if (stamp != beingRead) _changedWhileReading.Add(key);
            return;
        }
        if (stamp is not { } now)
        {
            _settling.Remove(key);
            if (entry is not null) Forget(key);
            return;
        }
        if (!ImageKey.IsSafeName(key.Name) || (key.Folder.Length > 0 && !ImageKey.IsSafeName(key.Folder)))
        {
            if (entry?.State != ImageFileState.Error || entry.Stamp != now)
                Conclude(new IncorporationOutcome.Rejected(key, now,
                    $"'{key}.img' is not a valid canonical name: use letters, digits, '_' and '-' only; the file is not read."));
            return;
        }
        if (File.Exists(files.Lock))
        {
            _settling.Remove(key);
            if (entry?.State != ImageFileState.Locked) Transition(new CatalogEntry(key, ImageFileState.Locked, now, DateTimeOffset.UtcNow));
            return;
        }
        if (entry is { State: ImageFileState.Ready or ImageFileState.Error } && entry.Stamp == now) return;
        if ((entry is null || entry.State == ImageFileState.Locked) && _incorporator.Recall(key, now) is { } earlier)
        {
            _settling.Remove(key);
            Conclude(earlier);
            if (_settings.ReverifyOnStart && earlier is IncorporationOutcome.Incorporated recalled && _reverifiedSinceStart.Add(key))
                _incorporator.ReverifyAsync(key, now, recalled.Sums, _stopping.Token).PipeTo(Self,
                    success: rejected => new Reverified(key, now, rejected),
                    failure: _ => new Reverified(key, now, null));
            return;
        }

        var time = DateTimeOffset.UtcNow;
        if (!_settling.TryGetValue(key, out var settling) || settling.Stamp != now)
        {
            _settling[key] = (now, time);
            Transition(new CatalogEntry(key, ImageFileState.Processing, now, time));
            Timers.StartSingleTimer(("settle", key), new Settled(key), _settings.SettleTime);
            return;
        }
        if (time - settling.Since < _settings.SettleTime) return; // the settle timer comes back for it

        _settling.Remove(key);
        _reading[key] = now;
        Transition(new CatalogEntry(key, ImageFileState.Verifying, now, time, VerifiedPercent: 0));
        _incorporator.IncorporateAsync(key, now, _stopping.Token).PipeTo(Self,
            success: outcome => new Finished(outcome),
            failure: e => new Crashed(key, now, $"{key}.img could not be read: {e.GetBaseException().Message}"));
    }

    private void OnFinished(IncorporationOutcome outcome, bool crashed = false)
    {
        var key = outcome.Key;
        _reading.Remove(key);
        var changed = _changedWhileReading.Remove(key)
                      | FileStamp.Of(new ImageFiles(_settings.ImagesDirectory, key).Image) != outcome.Stamp;
        if (changed)
        {
            _log.Info("Image {0} changed while it was read; reading it again once it settles.", key);
            Examine(key);
            return;
        }
        if (crashed) _log.Warning("Incorporation of {0} failed: {1}", key, ((IncorporationOutcome.Rejected)outcome).Reason);
        Conclude(outcome);
    }

    private void Conclude(IncorporationOutcome outcome)
    {
        var at = DateTimeOffset.UtcNow;
        switch (outcome)
        {
            case IncorporationOutcome.Incorporated ok:
                var ready = new CatalogEntry(ok.Key, ImageFileState.Ready, ok.Stamp, at, ok.Info, ok.Sums);
                Transition(ready);
                Publish(Topics.RepositoryFiles, Available(ready));
                break;
            case IncorporationOutcome.Rejected no:
                Transition(new CatalogEntry(no.Key, ImageFileState.Error, no.Stamp, at, Error: no.Reason));
                Publish(Topics.RepositoryFiles, new ImageFileRejected(_settings.Name, no.Key.Name, no.Key.Folder, no.Reason, at));
                break;
        }
    }

    private ImageFileAvailable Available(CatalogEntry ready) => new(_settings.Name, ready.Key.Name, ready.Key.Folder, ready.Info!,
        ready.Sums!.Sum, ready.Sums.FullSum, ready.Sums.InfoHash, ready.Stamp.Size, ready.Stamp.ModifiedAt,
        Unicast.UploadRecord.UploaderOf(new ImageFiles(_settings.ImagesDirectory, ready.Key), ready.Sums.FullSum));

    private void Forget(ImageKey key)
    {
        _entries.Remove(key);
        _settling.Remove(key);
        _log.Info("Image {0}: gone", key);
        PublishView();
        Publish(Topics.RepositoryFiles, new ImageFileRemoved(_settings.Name, key.Name, key.Folder, DateTimeOffset.UtcNow));
    }

    private void Transition(CatalogEntry next)
    {
        var previous = _entries.GetValueOrDefault(next.Key);
        _entries[next.Key] = next;
        if (previous?.State != next.State)
            _log.Info("Image {0}: {1} → {2}{3}", next.Key, previous?.State.ToString() ?? "new", next.State,
                next.Error is null ? "" : $" ({next.Error})");
        PublishView();
    }

    private void PublishView()
    {
        _view.Replace(_entries.ToImmutableDictionary());
        _announceDue = true;
    }

    // ---- commands -----------------------------------------------------------------------------------------------

    private void Delete(DeleteImageFile command)
    {
        var key = new ImageKey(command.Folder, command.CanonicalName);
        if (!ImageKey.IsSafeName(key.Name) || (key.Folder.Length > 0 && !ImageKey.IsSafeName(key.Folder)))
        {
            Sender.Tell(new Refused($"'{key}' is not a valid canonical name."));
            return;
        }
        var files = new ImageFiles(_settings.ImagesDirectory, key);
        if (!File.Exists(files.Image))
        {
            Sender.Tell(new Refused($"Repository {_settings.Name} has no image {key}."));
            return;
        }
        if (_reading.ContainsKey(key))
        {
            Sender.Tell(new Refused($"Image {key} is being incorporated right now; try again in a moment."));
            return;
        }
        if (File.Exists(files.Lock))
        {
            Sender.Tell(new Refused($"Image {key} is locked (it is being written); try again when it is unlocked."));
            return;
        }
        try
        {
            if (command.Purge) PreviousVersion.Purge(files);
            else PreviousVersion.Keep(files);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Sender.Tell(new Refused($"Image {key} could not be deleted: {e.Message}"));
            return;
        }
        _log.Info("Image {0} deleted{1}", key, command.Purge ? " (purged)" : "; previous version kept as .ant");
        if (_entries.ContainsKey(key)) Forget(key);
        Sender.Tell(new Accepted(key.ToString()));
    }

    private void Import(ImportImage command)
    {
        _importer.ImportAsync(command, _stopping.Token).PipeTo(Sender,
            success: images => new ImportCompleted(_settings.Name, images),
            failure: e => new Refused(e is ImportException ? e.Message : $"Import of {command.SourcePath} failed: {e.GetBaseException().Message}"));
    }

    // ---- announcements ------------------------------------------------------------------------------------------

    private RepositoryAnnounced Announcement()
    {
        long free = 0, total = 0;
        try
        {
            var drive = new DriveInfo(Path.GetFullPath(_settings.ImagesDirectory));
            (free, total) = (drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException) { }
        var images = _entries.Values.OrderBy(e => e.Key.Folder).ThenBy(e => e.Key.Name).Select(e => e.ToMessage()).ToList();
        string address;
        try { address = _settings.HttpAddressResolver?.Invoke() ?? _settings.HttpAddress; }
        catch (InvalidOperationException) { address = _settings.HttpAddress; } // the web host is not started yet
        return new RepositoryAnnounced(_settings.Name, address, free, total, _settings.IsComputerCache, images, Self,
            DateTimeOffset.UtcNow);
    }

    private void Announce()
    {
        _announceDue = false;
        Publish(Topics.Repositories, Announcement());
    }

    private void Publish(string topic, object message) => _mediator.Tell(new Publish(topic, message));

    /// <summary>The verifier's progress, as whole percents told to the actor (from the verifying thread).</summary>
    private sealed class VerificationProgress(IActorRef actor) : IProgress<(ImageKey, Imaging.Progress.TransferProgress)>
    {
        public void Report((ImageKey, Imaging.Progress.TransferProgress) value)
        {
            var (key, progress) = value;
            if (progress.Percent is { } percent) actor.Tell(new Verified(key, (int)Math.Min(100, percent)));
        }
    }
}
