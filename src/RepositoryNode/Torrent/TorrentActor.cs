using Akka.Actor;
using OgActors.Messages.Common;
using OgActors.Messages.Repositories;
using OgActors.RepositoryNode.Catalog;

namespace OgActors.RepositoryNode.Torrent;

/// <summary>
/// The repository's P2P: the parent of its tracker (<see cref="OpentrackerActor"/>) and its seeder (<see cref="SeederActor"/>).
/// It compares the catalog (<see cref="ReadyTorrents"/>) with what they track and seed every poll interval, and tells both
/// when the ready images change (an image arrives, changes or goes). Children that fail are restarted. It answers the
/// tracker view (<see cref="GetTrackerView"/>, <see cref="SwarmSurvey"/>).
/// </summary>
public sealed class TorrentActor : ReceiveActor, IWithTimers
{
    private sealed record Poll : INoSerializationVerificationNeeded;

    private readonly TorrentNodeSettings _settings;
    private readonly CatalogView _view;
    private IActorRef _tracker = ActorRefs.Nobody, _seeder = ActorRefs.Nobody;
    private IReadOnlyList<SeedableImage> _ready = [];

    public TorrentActor(TorrentNodeSettings settings, CatalogView view)
    {
        _settings = settings;
        _view = view;
        Receive<Poll>(_ =>
        {
            var ready = ReadyTorrents.Of(_view);
            if (ready.SequenceEqual(_ready)) return;
            _ready = ready;
            _tracker.Tell(new OpentrackerActor.Track([.. ready.Select(r => r.InfoHash)]));
            _seeder.Tell(new SeederActor.Seed(ready));
        });
        Receive<GetTrackerView>(TrackerView);
        Receive<OpentrackerActor.GetState>(get => _tracker.Forward(get));
        Receive<SeederActor.GetState>(get => _seeder.Forward(get));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The tracker view (<see cref="SwarmSurvey"/>), taken off the actor's thread and piped to the asker.</summary>
    private void TrackerView(GetTrackerView query)
    {
        var sender = Sender;
        var ready = _ready;
        var settings = _settings;
        _seeder.Ask<SeederActor.SeederState>(new SeederActor.GetState(), TimeSpan.FromSeconds(5))
            .ContinueWith(async state => await SwarmSurvey.TakeAsync(settings, ready, state.Result, query.Image, Http)).Unwrap()
            .PipeTo(sender, failure: e => new Refused(
                $"The tracker view of repository {settings.Repository} could not be taken: {(e.GetBaseException() is var b && b.Message.Length > 0 ? b.Message.TrimEnd('.') : b.GetType().Name)}."));
    }

    /// <summary>For the tracker view's scrape and announce: one connection per request (opentracker closes its connections,
    /// and a pooled one it already reset failed the whole view with "Connection reset by peer").</summary>
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5), DefaultRequestHeaders = { ConnectionClose = true } };

    public static Props Props(TorrentNodeSettings settings, CatalogView view) => Akka.Actor.Props.Create(() => new TorrentActor(settings, view));

    public const string Name = "torrent";

    protected override void PreStart()
    {
        _tracker = Context.ActorOf(OpentrackerActor.Props(_settings), "tracker");
        _seeder = Context.ActorOf(SeederActor.Props(_settings), "seeder");
        Timers.StartPeriodicTimer("poll", new Poll(), TimeSpan.Zero, _settings.PollInterval);
    }
}
