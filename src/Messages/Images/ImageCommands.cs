using OgActors.Messages.Repositories;

namespace OgActors.Messages.Images;

/// <summary>Commands and queries addressed to one image entity (sharded by canonical name).</summary>
public interface IImageMessage : IOgMessage
{
    string Canonical { get; }
}

/// <summary>Registers the image object (all fields required, as the OpenGnsys console asks).</summary>
[Manifest("image.define")]
public sealed record DefineImage(
    string Canonical, string DisplayName, string SoftwareProfile, int Partition, string PartitionType,
    string Repository, string Comments, string By) : IImageMessage;

[Manifest("image.delete")]
public sealed record DeleteImage(string Canonical, string By) : IImageMessage;

/// <summary>A repository holds NAME.img (sent by the coordinator's repository file linker).</summary>
[Manifest("image.link-file")]
public sealed record LinkImageFile(
    string Canonical, string Repository, string Folder, ImageFileInfo Info, string Sum, string FullSum,
    string InfoHash, long Size, DateTimeOffset ModifiedAt, string UploadedBy = "") : IImageMessage;

/// <summary>A repository's NAME.img no longer verifies (or could not be incorporated): its copy is in error.</summary>
[Manifest("image.fail-file")]
public sealed record FailImageFile(string Canonical, string Repository, string Folder, string Reason, DateTimeOffset At) : IImageMessage;

/// <summary>A repository no longer holds NAME.img.</summary>
[Manifest("image.unlink-file")]
public sealed record UnlinkImageFile(string Canonical, string Repository, string Folder, DateTimeOffset At) : IImageMessage;

/// <summary>Replies the <see cref="ImageView"/>, or Refused when the image is not defined.</summary>
[Manifest("image.get")]
public sealed record GetImage(string Canonical) : IImageMessage;
