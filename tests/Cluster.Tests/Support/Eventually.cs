using System.Diagnostics;

namespace OgActors.Cluster.Tests.Support;

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until true; returns how long it took, or fails with <paramref name="what"/>.</summary>
    public static Task<TimeSpan> Within(TimeSpan timeout, Func<Task<bool>> condition, string what) =>
        Within(timeout, condition, () => what);

    /// <summary>As above, with the failure's sentence made after the last attempt (so it can quote the last answer).</summary>
    public static async Task<TimeSpan> Within(TimeSpan timeout, Func<Task<bool>> condition, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await condition()) return clock.Elapsed;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"Not within {timeout.TotalSeconds:0} s: {what()}");
    }
}
