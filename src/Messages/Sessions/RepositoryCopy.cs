namespace OgActors.Messages.Sessions;

/// <summary>
/// One repository's copy of a session's image as the coordinator knew it when it planned the session: the repository, where
/// its unicast service is (what it announced; a computer's own <c>og.computer.repositories</c> entry wins), the OU folder it
/// holds the image in and the copy's full MD5 (its content). A session's plan lists every ready copy (repositories online
/// then first); a computer's job gets, as <see cref="JobSpec.Alternates"/>, the copies of the same full sum as its own
/// repository's, the ones it falls over to when that repository goes away mid-transfer.
/// </summary>
[Manifest("session.repository-copy")]
public sealed record RepositoryCopy(string Repository, string HttpAddress, string Folder, string FullSum) : IOgMessage;
