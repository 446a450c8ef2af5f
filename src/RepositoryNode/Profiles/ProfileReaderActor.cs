using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using OgActors.Imaging.Profiles;
using OgActors.Messages.Profiles;
using OgActors.Messages.Repositories;
using OgActors.RepositoryNode.Catalog;

namespace OgActors.RepositoryNode.Profiles;

/// <summary>
/// Reads the software profile of every image of this repository once it is ready, in the background
/// (<c>/user/profile-reader</c> on the repository node). It is not part of incorporation: it subscribes to the file
/// events the repository already publishes (<see cref="Topics.RepositoryFiles"/>) and acts on this repository's own.
///
///   ImageFileAvailable → (NAME.img.profile.json holds this full sum? publish it again) else queued
///   queued → reading (at most <see cref="ProfileSettings.MaxConcurrent"/> at once; ImageProfileProgress as it goes)
///          → NAME.img.profile.json written, ImageProfileRead published (if the file is still the same content)
///          | ImageProfileProgress "failed" with the reason
///   ImageFileRemoved / ImageFileRejected → a queued read is dropped, a running one cancelled, the profile sidecar deleted
///   RequestRepositoryAnnouncements (a coordinator started) → every current profile published again
///
/// The scratch file of each read is deleted when the read ends; leftovers of a crash are deleted at start.
/// </summary>
public sealed class ProfileReaderActor : ReceiveActor
{
    private sealed record Job(ImageKey Key, string FullSum, FileStamp Stamp);
    private sealed record Done(Job Job, SoftwareProfile? Profile, string? Failure) : INoSerializationVerificationNeeded;
    private sealed record Progressed(Job Job, ProfileProgress Progress) : INoSerializationVerificationNeeded;

    private readonly RepositoryActorSettings _repository;
    private readonly ProfileSettings _settings;
    private readonly IActorRef _mediator;
    private readonly ProfileExtractor _extractor;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LinkedList<Job> _queue = new();
    private readonly Dictionary<ImageKey, (Job Job, CancellationTokenSource Cancel, ProfileProgress Last)> _running = new();
    private readonly CancellationTokenSource _stopping = new();

    public static Props Props(RepositoryActorSettings repository, ProfileSettings settings, IActorRef mediator) =>
        Akka.Actor.Props.Create(() => new ProfileReaderActor(repository, settings, mediator));

    public ProfileReaderActor(RepositoryActorSettings repository, ProfileSettings settings, IActorRef mediator)
    {
        _repository = repository;
        _settings = settings;
        _mediator = mediator;
        _extractor = new ProfileExtractor(Scratch);

        Receive<SubscribeAck>(_ => { });
        Receive<ImageFileAvailable>(f => f.Repository == _repository.Name, OnAvailable);
        Receive<ImageFileRemoved>(f => f.Repository == _repository.Name, f => Forget(new ImageKey(f.Folder, f.CanonicalName), deleteSidecar: true));
        Receive<ImageFileRejected>(f => f.Repository == _repository.Name, f => Forget(new ImageKey(f.Folder, f.CanonicalName), deleteSidecar: true));
        Receive<RequestRepositoryAnnouncements>(_ => RepublishAll());
        Receive<Progressed>(OnProgress);
        Receive<Done>(OnDone);
        Receive<IRepositoryFileEvent>(_ => { }); // other repositories' files, and our own profile events
    }

    private string Scratch => _settings.ScratchDirectory.Length > 0 ? _settings.ScratchDirectory : _repository.ImagesDirectory;

    protected override void PreStart()
    {
        var left = ProfileExtractor.DeleteLeftovers(Scratch);
        if (left > 0) _log.Info("Deleted {0} scratch file(s) a previous profile read left in {1}.", left, Scratch);
        _mediator.Tell(new Subscribe(Topics.RepositoryFiles, Self));
        _mediator.Tell(new Subscribe(Topics.RepositoryDiscovery, Self));
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        foreach (var (_, running) in _running) running.Cancel.Cancel();
    }

    private void OnAvailable(ImageFileAvailable f)
    {
        var key = new ImageKey(f.Folder, f.CanonicalName);
        var files = new ImageFiles(_repository.ImagesDirectory, key);
        if (ProfileSidecar.TryRead(files, f.FullSum) is { } known)
        {
            Publish(new ImageProfileRead(_repository.Name, key.Name, key.Folder, known));
            return;
        }
        if (_running.TryGetValue(key, out var running) && running.Job.FullSum.Equals(f.FullSum, StringComparison.OrdinalIgnoreCase)) return;
        if (_queue.Any(j => j.Key == key && j.FullSum.Equals(f.FullSum, StringComparison.OrdinalIgnoreCase))) return;
        Forget(key, deleteSidecar: false);
        // The file's whole identity now (size, mtime, ctime, inode): a read whose file was rewritten meanwhile is dropped.
        var announced = new ImageFiles(_repository.ImagesDirectory, key);
        if (FileStamp.Of(announced.Image) is not { } stamp || stamp.Size != f.Size) return; // already changed: its own announcement follows
        var job = new Job(key, f.FullSum.ToLowerInvariant(), stamp);
        _queue.AddLast(job);
        Publish(new ImageProfileProgress(_repository.Name, key.Name, key.Folder, job.FullSum, "queued", 0, "", DateTimeOffset.UtcNow));
        StartMore();
    }

    private void StartMore()
    {
        while (_running.Count < _settings.MaxConcurrent && _queue.First is { } first)
        {
            _queue.RemoveFirst();
            var job = first.Value;
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            _running[job.Key] = (job, cancel, new ProfileProgress("restoring", 0));
            var self = Self;
            var image = new ImageFiles(_repository.ImagesDirectory, job.Key).Image;
            var progress = new ActorProgress(p => self.Tell(new Progressed(job, p)));
            _log.Info("Reading the software profile of {0}.", job.Key);
            Publish(new ImageProfileProgress(_repository.Name, job.Key.Name, job.Key.Folder, job.FullSum, "restoring", 0, "", DateTimeOffset.UtcNow));
            Task.Run(() => _extractor.ReadAsync(image, progress, cancel.Token), cancel.Token).PipeTo(self,
                success: read => new Done(job, read.ToMessage(job.Key.Name, _repository.Name, job.Key.Folder, job.FullSum, job.Stamp.Size), null),
                failure: e => new Done(job, null, e is OperationCanceledException ? "cancelled" : e.GetBaseException().Message));
        }
    }

    private void OnProgress(Progressed p)
    {
        if (!_running.TryGetValue(p.Job.Key, out var running) || running.Job != p.Job) return;
        // Publish a stage change, or every 10 % of a restore; the coordinator keeps only the last.
        if (p.Progress.Stage == running.Last.Stage && p.Progress.Percent / 10 == running.Last.Percent / 10) return;
        _running[p.Job.Key] = running with { Last = p.Progress };
        Publish(new ImageProfileProgress(_repository.Name, p.Job.Key.Name, p.Job.Key.Folder, p.Job.FullSum, p.Progress.Stage, p.Progress.Percent, "",
            DateTimeOffset.UtcNow));
    }

    private void OnDone(Done done)
    {
        var job = done.Job;
        if (!_running.TryGetValue(job.Key, out var running) || running.Job != job) return; // cancelled and replaced meanwhile
        _running.Remove(job.Key);
        running.Cancel.Dispose();
        var files = new ImageFiles(_repository.ImagesDirectory, job.Key);
        if (done.Profile is { } profile && FileStamp.Of(files.Image) == job.Stamp)
        {
            try
            {
                ProfileSidecar.WriteAsync(files, profile, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Warning("The profile of {0} was read but {1} could not be written: {2}", job.Key, ProfileSidecar.PathOf(files), e.Message);
            }
            _log.Info("Profile of {0}: {1} ({2:F1} s{3})", job.Key, profile.Line, profile.ExtractionSeconds,
                profile.Unreadable.Count == 0 ? "" : $"; not read: {string.Join("; ", profile.Unreadable.Select(u => u.What))}");
            Publish(new ImageProfileRead(_repository.Name, job.Key.Name, job.Key.Folder, profile));
        }
        else if (done.Failure is { } failure && failure != "cancelled")
        {
            _log.Warning("The profile of {0} could not be read: {1}", job.Key, failure);
            Publish(new ImageProfileProgress(_repository.Name, job.Key.Name, job.Key.Folder, job.FullSum, "failed", 0, failure, DateTimeOffset.UtcNow));
        }
        StartMore();
    }

    private void Forget(ImageKey key, bool deleteSidecar)
    {
        for (var node = _queue.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.Key == key) _queue.Remove(node);
            node = next;
        }
        if (_running.Remove(key, out var running)) running.Cancel.Cancel();
        if (deleteSidecar)
            try { File.Delete(ProfileSidecar.PathOf(new ImageFiles(_repository.ImagesDirectory, key))); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        StartMore();
    }

    /// <summary>A coordinator (re)started: every profile of a current content goes out again (it ignores those it holds).</summary>
    private void RepublishAll()
    {
        foreach (var key in Incorporation.ImagesDirectoryScan.ImageFiles(_repository.ImagesDirectory))
        {
            var files = new ImageFiles(_repository.ImagesDirectory, key);
            if (ProfileSidecar.CurrentFullSum(files) is { } sum && ProfileSidecar.TryRead(files, sum) is { } profile)
                Publish(new ImageProfileRead(_repository.Name, key.Name, key.Folder, profile));
        }
    }

    private void Publish(object message) => _mediator.Tell(new Publish(Topics.RepositoryFiles, message));

    private sealed class ActorProgress(Action<ProfileProgress> report) : IProgress<ProfileProgress>
    {
        public void Report(ProfileProgress value) => report(value);
    }
}
