using OgActors.Coordinator.Domain;
using OgActors.Messages.Images;

namespace OgActors.Coordinator.Images;

/// <summary>The image object's rules (seed: all fields required; canonical name safe as a file name). One sentence per refusal.</summary>
public static class ImageRules
{
    private static readonly char[] Forbidden = [' ', '\\', '/', '`', '\'', '.', '"', '*', '?', ':', '<', '>', '|', ';', '&', '$', '#', '%', '~', '!', '(', ')', '[', ']', '{', '}', ','];

    public static readonly string[] PartitionTypes =
        ["NTFS", "LINUX", "EXT2", "EXT3", "EXT4", "BTRFS", "XFS", "FAT16", "FAT32", "EXFAT", "HFS", "HFSPLUS", "UFS", "DATA", "LINUX-SWAP", "EFI"];

    public static string? CheckCanonical(string? canonical)
    {
        if (string.IsNullOrWhiteSpace(canonical)) return "The canonical name is required.";
        if (canonical.FirstOrDefault(c => Forbidden.Contains(c) || char.IsControl(c) || char.IsWhiteSpace(c)) is var bad and not '\0')
            return $"The canonical name '{canonical}' contains {Describe(bad)}, which is not allowed in an image file name.";
        if (canonical.Any(c => c > 127)) return $"The canonical name '{canonical}' may only use ASCII letters, digits, '-' and '_'.";
        if (canonical.Length > Names.MaxLength) return $"The canonical name '{canonical[..20]}…' is longer than {Names.MaxLength} characters.";
        if (canonical[0] == '-') return $"The canonical name '{canonical}' cannot start with '-'.";
        return null;
    }

    public static string? Check(DefineImage cmd)
    {
        if (CheckCanonical(cmd.Canonical) is { } bad) return bad;
        if (string.IsNullOrWhiteSpace(cmd.DisplayName)) return "The image name is required.";
        if (cmd.DisplayName.Length > Names.MaxLength) return $"The image name is longer than {Names.MaxLength} characters.";
        if (string.IsNullOrWhiteSpace(cmd.SoftwareProfile)) return "The software profile is required.";
        if (cmd.SoftwareProfile.Length > Names.MaxTextLength) return $"The software profile is longer than {Names.MaxTextLength} characters (4 KiB).";
        if (cmd.Partition is < 1 or > 128) return $"The partition {cmd.Partition} must be a number between 1 and 128.";
        if (string.IsNullOrWhiteSpace(cmd.PartitionType)) return "The partition type is required.";
        if (!PartitionTypes.Contains(cmd.PartitionType.ToUpperInvariant()))
            return $"The partition type '{cmd.PartitionType}' is not one of {string.Join(", ", PartitionTypes)}.";
        if (Names.Check("repository", cmd.Repository) is { } badRepo) return badRepo;
        if (string.IsNullOrWhiteSpace(cmd.Comments)) return "The comments are required.";
        if (cmd.Comments.Length > Names.MaxTextLength) return $"The comments are longer than {Names.MaxTextLength} characters (4 KiB).";
        return null;
    }

    private static string Describe(char c) => c switch
    {
        ' ' => "a space",
        '\\' => "a backslash",
        '/' => "a slash",
        '`' => "a backquote",
        '\'' => "a quote",
        '.' => "a dot",
        _ when char.IsControl(c) || char.IsWhiteSpace(c) => "a blank or control character",
        _ => $"'{c}'",
    };
}
