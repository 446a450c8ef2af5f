using System.Globalization;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Computers;

namespace OgActors.Coordinator.Computers;

/// <summary>
/// What a classroom records for a computer against what the computer itself reports: its MAC, and its cache's size
/// (within 5 %: an operator types "50GiB" for a partition whose filesystem holds a little less). Each mismatch is a
/// warning sentence; nothing is changed — the computer's own cache decides every cache decision.
/// </summary>
public static class InventoryMismatch
{
    public static IReadOnlyList<string> Warnings(string classroom, ComputerRecord recorded, ComputerInventory reported)
    {
        var warnings = new List<string>();
        if (recorded.Mac.Length > 0 && reported.Mac.Length > 0 && Normalize(recorded.Mac) != Normalize(reported.Mac))
            warnings.Add($"Classroom {classroom} records MAC {recorded.Mac} for {reported.Name}, but the computer reports {reported.Mac}.");
        long expected = recorded.CacheSizeBytes, actual = reported.Cache.CapacityBytes;
        if (Math.Abs(expected - actual) > Math.Max(expected, actual) * 0.05)
            warnings.Add($"Classroom {classroom} records {Cache(expected)} for {reported.Name}, but the computer reports {Cache(actual)}; " +
                         "the computer's own cache decides.");
        return warnings;
    }

    private static string Normalize(string mac) => new([.. mac.Where(char.IsAsciiHexDigit).Select(char.ToLowerInvariant)]);

    private static string Cache(long bytes) => bytes == 0 ? "no cache"
        : string.Create(CultureInfo.InvariantCulture, $"a cache of {bytes / (1024.0 * 1024 * 1024):0.##} GiB");
}
