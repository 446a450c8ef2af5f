using OgActors.ClientNode.Cache;

namespace OgActors.ClientNode.Tests.Cache;

/// <summary>Whose bytes a partial copy holds: a job inherits its own earlier attempts, never another job's.</summary>
public sealed class PartialAttemptsTests
{
    [Fact]
    public void The_same_job_inherits_its_earlier_attempts_and_another_job_takes_over_from_where_the_copy_is()
    {
        var first = new PartialAttempts("s1/pc01", 0, TimeSpan.FromSeconds(12), 1);

        var (same, earlier) = PartialAttempts.Resume(first, "s1/pc01", 30_000_000);
        earlier.Should().Be(30_000_000);
        same.Should().Be(first with { Attempts = 2 });

        var (other, inherited) = PartialAttempts.Resume(first, "s2/pc01", 30_000_000);
        inherited.Should().Be(0);
        other.Should().Be(new PartialAttempts("s2/pc01", 30_000_000, TimeSpan.Zero, 1));

        // s2 killed in turn and resumed: only what it added since it took over is its own.
        var (third, own) = PartialAttempts.Resume(other with { Duration = TimeSpan.FromSeconds(3) }, "s2/pc01", 45_000_000);
        own.Should().Be(15_000_000);
        third.Attempts.Should().Be(2);
        third.Duration.Should().Be(TimeSpan.FromSeconds(3));

        PartialAttempts.Resume(null, "s1/pc01", 10).EarlierBytes.Should().Be(0);
        PartialAttempts.Resume(first, "", 10).EarlierBytes.Should().Be(0, "a transfer that names no job inherits nothing");
        PartialAttempts.Resume(first with { TakenOverAt = 50 }, "s1/pc01", 10).EarlierBytes.Should().Be(0, "a copy shorter than where the job took over is not its own");
    }

    [Fact]
    public void The_record_round_trips_through_the_cache_and_a_damaged_one_is_ignored()
    {
        var dir = Directory.CreateTempSubdirectory("og-partial-attempts-").FullName;
        try
        {
            var cache = new ImageCache(dir, 64L << 20);
            cache.BeginPartial("win", "0123456789abcdef0123456789abcdef");
            var tracker = cache.BeginAttempt("win", "s1/pc01", 0);
            tracker.Attempt.Should().Be(1);
            tracker.Checkpoint(TimeSpan.FromSeconds(4), force: true);
            cache.PartialAttempts("win").Should().Be(new PartialAttempts("s1/pc01", 0, TimeSpan.FromSeconds(4), 1));

            var again = cache.BeginAttempt("win", "s1/pc01", 1000);
            again.Attempt.Should().Be(2);
            again.EarlierBytes.Should().Be(1000);
            again.EarlierDuration.Should().Be(TimeSpan.FromSeconds(4));
            again.Checkpoint(TimeSpan.FromSeconds(2), force: true);
            cache.PartialAttempts("win")!.Duration.Should().Be(TimeSpan.FromSeconds(6));
            again.StartedOver();
            again.EarlierBytes.Should().Be(0);
            cache.PartialAttempts("win").Should().Be(new PartialAttempts("s1/pc01", 0, TimeSpan.FromSeconds(6), 2), "the time spent stays the job's");

            File.WriteAllText(cache.PartialAttemptsPath("win"), "garbage");
            cache.PartialAttempts("win").Should().BeNull();
            cache.RemovePartial("win");
            File.Exists(cache.PartialAttemptsPath("win")).Should().BeFalse();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
