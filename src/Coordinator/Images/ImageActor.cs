using Akka.Actor;
using Akka.Persistence;
using OgActors.Coordinator.Domain;
using OgActors.Messages.Common;
using OgActors.Messages.Images;
using OgActors.Messages.Profiles;

namespace OgActors.Coordinator.Images;

/// <summary>
/// One image object, event-sourced (persistence id <c>image-CANONICAL</c>; the canonical name is the entity id,
/// so it is unique by construction). Its definition comes from operators; its files and revision come from
/// what repositories announce (<see cref="RepositoryFileLinker"/>).
/// </summary>
public sealed class ImageActor : ReceivePersistentActor
{
    private readonly string _canonical;
    private ImageState _state = ImageState.Empty;

    // Live only: where a repository's profile extraction of each content (full sum) is; never journaled.
    private readonly Dictionary<string, NoteImageProfileProgress> _profileProgress = new();

    public ImageActor(string canonical)
    {
        _canonical = canonical;
        Recover<IImageEvent>(e => _state = _state.Apply(e));
        Command<DefineImage>(Define);
        Command<DeleteImage>(Delete);
        Command<GetImage>(_ => Sender.Tell(_state.View is { } view ? view with { Profile = ImageProfiles.Summary(_state, _profileProgress) } : NotDefined()));
        Command<RecordImageProfile>(RecordProfile);
        Command<NoteImageProfileProgress>(p =>
        {
            if (p.Stage == "done") _profileProgress.Remove(p.FullSum.ToLowerInvariant());
            else _profileProgress[p.FullSum.ToLowerInvariant()] = p;
            Sender.Tell(new Accepted(_canonical));
        });
        Command<GetImageProfile>(q => Sender.Tell(ImageProfiles.Answer(_state, _canonical, q.Revision, _profileProgress)));
        Command<LinkImageFile>(Link);
        Command<UnlinkImageFile>(Unlink);
        Command<FailImageFile>(Fail);
    }

    public override string PersistenceId => PersistenceIds.Image(_canonical);

    public static Props Props(string canonical) => Akka.Actor.Props.Create(() => new ImageActor(canonical));

    private void Define(DefineImage cmd)
    {
        if (_state.Definition is not null) { Sender.Tell(new Refused($"Image {_canonical} is already defined.")); return; }
        if (ImageRules.Check(cmd) is { } bad) { Sender.Tell(new Refused(bad)); return; }
        Save(new ImageDefined(cmd.Canonical, cmd.DisplayName.Trim(), cmd.SoftwareProfile.Trim(), cmd.Partition,
            cmd.PartitionType.ToUpperInvariant(), cmd.Repository, cmd.Comments.Trim(), cmd.By, Now), Sender);
    }

    private void Delete(DeleteImage cmd)
    {
        if (_state.Definition is null) { Sender.Tell(NotDefined()); return; }
        Save(new ImageDeleted(_canonical, cmd.By, Now), Sender);
    }

    private void Link(LinkImageFile cmd)
    {
        if (_state.CopyIn(cmd.Repository, cmd.Folder) is { } known && known.FullSum == cmd.FullSum && known.Size == cmd.Size
            && known.State == "ready")
        { Sender.Tell(new Accepted(_canonical)); return; } // the same file announced again (e.g. a repository restart)
        Save(new ImageFileLinked(_canonical, cmd.Repository, cmd.Folder, cmd.Info, cmd.Sum, cmd.FullSum, cmd.InfoHash,
            cmd.Size, cmd.ModifiedAt, _state.RevisionOf(cmd.FullSum), $"repository:{cmd.Repository}", Now, cmd.UploadedBy), Sender);
    }

    /// <summary>A linked file no longer verifies: its copy goes to error (never a new "ready" revision); unknown files are ignored.</summary>
    private void Fail(FailImageFile cmd)
    {
        if (_state.CopyIn(cmd.Repository, cmd.Folder) is not { } known || (known.State == "error" && known.Error == cmd.Reason))
        { Sender.Tell(new Accepted(_canonical)); return; }
        Save(new ImageFileFailed(_canonical, cmd.Repository, cmd.Folder, cmd.Reason, $"repository:{cmd.Repository}", Now), Sender);
    }

    private void Unlink(UnlinkImageFile cmd)
    {
        if (_state.CopyIn(cmd.Repository, cmd.Folder) is null) { Sender.Tell(new Accepted(_canonical)); return; }
        Save(new ImageFileUnlinked(_canonical, cmd.Repository, cmd.Folder, $"repository:{cmd.Repository}", Now), Sender);
    }

    /// <summary>A repository read one content's profile: journaled unless the same reading is already recorded.</summary>
    private void RecordProfile(RecordImageProfile cmd)
    {
        var sum = cmd.Profile.FullSum.ToLowerInvariant();
        _profileProgress.Remove(sum);
        if (_state.Profiles.TryGetValue(sum, out var known) && known.ReadAt == cmd.Profile.ReadAt && known.Repository == cmd.Profile.Repository)
        { Sender.Tell(new Accepted(_canonical)); return; } // the same reading announced again
        Save(new ImageProfileRecorded(_canonical, cmd.Profile with { Canonical = _canonical, Revision = 0 }, $"repository:{cmd.Profile.Repository}", Now), Sender);
    }

    private void Save(IImageEvent evt, IActorRef replyTo) =>
        Persist(evt, e =>
        {
            _state = _state.Apply(e);
            replyTo.Tell(new Accepted(_canonical));
        });

    private Refused NotDefined() => new($"Image {_canonical} is not defined.");
    private static DateTimeOffset Now => DateTimeOffset.UtcNow;
}
