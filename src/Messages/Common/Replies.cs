namespace OgActors.Messages.Common;

/// <summary>Generic replies any protocol may answer a command with.</summary>
public interface IReply : IOgMessage;

/// <summary>The command was accepted; <paramref name="Id"/> names what it created, if anything.</summary>
[Manifest("ok")]
public sealed record Accepted(string? Id = null) : IReply;

/// <summary>The command was refused; <paramref name="Reason"/> is one sentence an operator can act on.</summary>
[Manifest("no")]
public sealed record Refused(string Reason) : IReply;
