namespace OgActors.Coordinator.Tests.Support;

/// <summary>Asks again every 100 ms until what is asked shows the expected state (a session's view, a classroom's).</summary>
public static class Polling
{
    /// <summary>The first answer of <paramref name="ask"/> that meets <paramref name="condition"/>; fails after <paramref name="seconds"/>, showing the last.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> ask, Func<T, bool> condition, string what, int seconds = 20) where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        T? last = null;
        while (DateTime.UtcNow < until)
        {
            last = await ask();
            if (last is not null && condition(last)) return last;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"{what} did not reach the expected state; last: {System.Text.Json.JsonSerializer.Serialize(last)}");
    }
}
