using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using OgActors.Messages.Images;
using OgActors.Messages.Profiles;
using OgActors.Messages.Repositories;

namespace OgActors.Coordinator.Images;

/// <summary>
/// Subscribes to what repositories announce (DistributedPubSub topic <see cref="Topics.RepositoryFiles"/>) and
/// turns it into link/unlink commands for the image entity of the same canonical name. A file announcement can miss a
/// linker whose subscription had not reached the repository's node yet (a cluster that just formed); the periodic
/// catalog announcements (<see cref="Topics.Repositories"/>) catch that: a ready content the linker never heard of is
/// asked for directly (<see cref="RequestImageFiles"/>).
/// </summary>
public sealed class RepositoryFileLinker : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    /// <summary>Every (repository, folder, name, full sum) this linker passed on as available.</summary>
    private readonly HashSet<(string Repository, string Folder, string Name, string FullSum)> _linked = [];

    public RepositoryFileLinker(IActorRef images, IActorRef? mediator)
    {
        mediator?.Tell(new Subscribe(Topics.RepositoryFiles, Self));
        mediator?.Tell(new Subscribe(Topics.Repositories, Self));
        Receive<SubscribeAck>(_ => _log.Info("Listening to repository file announcements."));
        Receive<RepositoryAnnounced>(a =>
        {
            if (a.Images.Any(i => i is { State: ImageFileState.Ready, FullSum: { } sum } && !_linked.Contains((a.Name, i.Folder, i.CanonicalName, sum))))
                a.Repository.Tell(new RequestImageFiles(DateTimeOffset.UtcNow));
        });
        Receive<ImageFileAvailable>(f =>
        {
            _linked.Add((f.Repository, f.Folder, f.CanonicalName, f.FullSum));
            if (ImageRules.CheckCanonical(f.CanonicalName) is { } bad)
                _log.Warning("Repository {0} holds {1}.img, which no image object can name: {2}", f.Repository, f.CanonicalName, bad);
            else
                images.Tell(new LinkImageFile(f.CanonicalName, f.Repository, f.Folder, f.Info, f.Sum, f.FullSum, f.InfoHash, f.Size, f.ModifiedAt, f.UploadedBy));
        });
        Receive<ImageFileRemoved>(f =>
        {
            _linked.RemoveWhere(l => l.Repository == f.Repository && l.Folder == f.Folder && l.Name == f.CanonicalName);
            images.Tell(new UnlinkImageFile(f.CanonicalName, f.Repository, f.Folder, f.At));
        });
        Receive<ImageFileRejected>(f =>
        {
            _log.Warning("Repository {0} rejected {1}: {2}", f.Repository, f.CanonicalName, f.Reason);
            if (ImageRules.CheckCanonical(f.CanonicalName) is null)
                images.Tell(new FailImageFile(f.CanonicalName, f.Repository, f.Folder, f.Reason, f.At));
        });
        // Software profiles the repositories read from their images (after verification), attached to the image of the same name.
        Receive<ImageProfileRead>(f =>
        {
            if (ImageRules.CheckCanonical(f.CanonicalName) is null) images.Tell(new RecordImageProfile(f.CanonicalName, f.Profile));
        });
        Receive<ImageProfileProgress>(f =>
        {
            if (ImageRules.CheckCanonical(f.CanonicalName) is null)
                images.Tell(new NoteImageProfileProgress(f.CanonicalName, f.Repository, f.FullSum, f.Stage, f.Percent, f.Reason));
        });
        Receive<Messages.Common.IReply>(_ => { });
    }

    public static Props Props(IActorRef images, IActorRef? mediator) =>
        Akka.Actor.Props.Create(() => new RepositoryFileLinker(images, mediator));
}
