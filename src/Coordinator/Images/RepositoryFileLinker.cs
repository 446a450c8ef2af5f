using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using OgActors.Messages.Images;
using OgActors.Messages.Profiles;
using OgActors.Messages.Repositories;

namespace OgActors.Coordinator.Images;

/// <summary>
/// Subscribes to what repositories announce (DistributedPubSub topic <see cref="Topics.RepositoryFiles"/>) and
/// turns it into link/unlink commands for the image entity of the same canonical name.
/// </summary>
public sealed class RepositoryFileLinker : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public RepositoryFileLinker(IActorRef images, IActorRef? mediator)
    {
        mediator?.Tell(new Subscribe(Topics.RepositoryFiles, Self));
        Receive<SubscribeAck>(_ => _log.Info("Listening to repository file announcements."));
        Receive<ImageFileAvailable>(f =>
        {
            if (ImageRules.CheckCanonical(f.CanonicalName) is { } bad)
                _log.Warning("Repository {0} holds {1}.img, which no image object can name: {2}", f.Repository, f.CanonicalName, bad);
            else
                images.Tell(new LinkImageFile(f.CanonicalName, f.Repository, f.Folder, f.Info, f.Sum, f.FullSum, f.InfoHash, f.Size, f.ModifiedAt, f.UploadedBy));
        });
        Receive<ImageFileRemoved>(f => images.Tell(new UnlinkImageFile(f.CanonicalName, f.Repository, f.Folder, f.At)));
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
