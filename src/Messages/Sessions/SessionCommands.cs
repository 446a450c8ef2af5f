namespace OgActors.Messages.Sessions;

/// <summary>Commands and queries addressed to one deployment session entity (sharded by id, remembered).</summary>
public interface ISessionMessage : IOgMessage
{
    string SessionId { get; }
}

/// <summary>Creates the session and starts dispatching its jobs. Replies Accepted(id) or Refused.</summary>
[Manifest("session.start")]
public sealed record StartSession(string SessionId, SessionPlan Plan, string By) : ISessionMessage;

/// <summary>Replies the <see cref="SessionView"/>, or Refused when no such session exists.</summary>
[Manifest("session.get")]
public sealed record GetSession(string SessionId) : ISessionMessage;

/// <summary>Cancels the session's unfinished jobs (running ones are stopped on their computers). Replies Accepted(id) or Refused.</summary>
[Manifest("session.cancel")]
public sealed record CancelSession(string SessionId, string By) : ISessionMessage;
