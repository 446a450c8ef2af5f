using Akka.Configuration;
using OgActors.Hosting.Configuration;

namespace OgActors.Hosting.Tls;

/// <summary>Reads og.tls.job-orders' durations: a positive, finite time, or one sentence that stops the node.</summary>
public static class JobOrderTimes
{
    public static TimeSpan Read(Config? config, string key, TimeSpan fallback)
    {
        if (config is null || !config.HasPath(key)) return fallback;
        TimeSpan? value;
        try { value = config.GetTimeSpan(key, null, allowInfinite: false); }
        catch (Exception e) when (e is FormatException or ConfigurationException or ArgumentException or OverflowException)
        {
            throw new SettingsException($"{key} must be a duration such as 5m, got '{config.GetString(key, "")}'.");
        }
        if (value is not { } time || time <= TimeSpan.Zero)
            throw new SettingsException($"{key} must be longer than zero, got '{config.GetString(key, "")}'.");
        return time;
    }
}
