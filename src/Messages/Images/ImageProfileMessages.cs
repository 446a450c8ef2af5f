using OgActors.Messages.Profiles;

namespace OgActors.Messages.Images;

/// <summary>A repository read the profile of one content of the image (sent by the coordinator's repository file linker).</summary>
[Manifest("image.record-profile")]
public sealed record RecordImageProfile(string Canonical, SoftwareProfile Profile) : IImageMessage;

/// <summary>Live progress of a repository's profile extraction for this image (not journaled).</summary>
[Manifest("image.profile-progress")]
public sealed record NoteImageProfileProgress(string Canonical, string Repository, string FullSum, string Stage, int Percent, string Reason)
    : IImageMessage;

/// <summary>
/// Replies the <see cref="SoftwareProfile"/> read from revision <paramref name="Revision"/> (null: the image's current
/// revision), or Refused with the reason (not defined, no such revision, not read yet — with its progress).
/// </summary>
[Manifest("image.get-profile")]
public sealed record GetImageProfile(string Canonical, int? Revision = null) : IImageMessage;

/// <summary>The profile of one content of the image was recorded (journaled: it describes that revision for good).</summary>
[Manifest("image.profile-recorded")]
public sealed record ImageProfileRecorded(string Canonical, SoftwareProfile Profile, string By, DateTimeOffset At) : IImageEvent;
