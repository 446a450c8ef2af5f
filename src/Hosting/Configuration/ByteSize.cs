using System.Globalization;
using System.Text.RegularExpressions;

namespace OgActors.Hosting.Configuration;

/// <summary>Sizes as operators write them: "1073741824", "512MiB", "50 GiB", "2G" (binary multiples).</summary>
public static partial class ByteSize
{
    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*([kmgtKMGT]?)(i?[bB])?\s*$")]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var m = Pattern().Match(text);
        if (!m.Success) return false;
        var number = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var exponent = "KMGT".IndexOf(char.ToUpperInvariant(m.Groups[2].Value.FirstOrDefault(' '))) + 1;
        bytes = (long)(number * Math.Pow(1024, exponent));
        return true;
    }

    public static long Parse(string text, string what) =>
        TryParse(text, out var bytes) ? bytes : throw new SettingsException($"{what} must be a size such as 512MiB or 50GiB, got '{text}'.");

    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return unit == 0 ? $"{bytes} B" : value.ToString(value >= 100 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
