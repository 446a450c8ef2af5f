using FluentAssertions;
using OgActors.RepositoryNode.Torrent;
using Xunit;

namespace OgActors.Repository.Tests.Torrent;

public sealed class TrackerWhitelistTests
{
    [Fact]
    public void The_whitelist_is_one_lower_case_hash_a_line_sorted_without_duplicates()
    {
        TrackerWhitelist.Render(["BB" + new string('1', 38), "aa" + new string('2', 38), "bb" + new string('1', 38)])
            .Should().Be($"aa{new string('2', 38)}\nbb{new string('1', 38)}\n");
    }

    [Fact]
    public void No_image_is_written_as_the_all_zero_hash_because_opentracker_keeps_its_old_list_when_the_file_is_empty()
    {
        TrackerWhitelist.Render([]).Should().Be(new string('0', 40) + "\n");
        var path = Path.Combine(Path.GetTempPath(), $"og-whitelist-{Guid.NewGuid():N}");
        try
        {
            TrackerWhitelist.Write(path, []);
            TrackerWhitelist.Read(path).Should().BeEmpty();
            File.GetUnixFileMode(path).Should().HaveFlag(UnixFileMode.OtherRead);
        }
        finally { File.Delete(path); }
    }
}
