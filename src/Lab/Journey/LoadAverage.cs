using System.Globalization;

namespace OgActors.Lab.Journey;

/// <summary>The host's 1-minute load average (/proc/loadavg), reported beside every timed measurement: the cores are shared.</summary>
public static class LoadAverage
{
    public static double Now()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : 0;
        }
        catch (IOException) { return 0; }
    }
}
