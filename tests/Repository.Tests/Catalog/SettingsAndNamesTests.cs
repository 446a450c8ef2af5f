using Akka.Configuration;
using OgActors.RepositoryNode;
using OgActors.RepositoryNode.Catalog;
using OgActors.RepositoryNode.Unicast;

namespace OgActors.Repository.Tests.Catalog;

public sealed class SettingsAndNamesTests
{
    [Fact]
    public void Actor_settings_read_the_optional_og_repository_keys()
    {
        var config = ConfigurationFactory.ParseString("""
            og.repository { announce-url = "http://10.0.0.5:6969/announce", computer-cache = on, settle-time = 5s, max-concurrent-incorporations = 4 }
            """);
        var settings = RepositoryActorSettingsHocon.From(config, "repo1", "/srv/images", "http://10.0.0.5:5481");
        settings.Name.Should().Be("repo1");
        settings.AnnounceUrl.Should().Be("http://10.0.0.5:6969/announce");
        settings.IsComputerCache.Should().BeTrue();
        settings.SettleTime.Should().Be(TimeSpan.FromSeconds(5));
        settings.MaxConcurrentIncorporations.Should().Be(4);
        settings.RescanInterval.Should().Be(new RepositoryActorSettings().RescanInterval);
    }

    [Fact]
    public void Reverify_on_start_is_off_unless_configured()
    {
        RepositoryActorSettingsHocon.From(ConfigurationFactory.ParseString("og.repository { settle-time = 5s }"), "r", "/i", "http://h")
            .ReverifyOnStart.Should().BeFalse();
        RepositoryActorSettingsHocon.From(ConfigurationFactory.ParseString("og.repository { reverify-on-start = on }"), "r", "/i", "http://h")
            .ReverifyOnStart.Should().BeTrue();
    }

    [Theory]
    [InlineData("/imgs/win10.img", "", "win10")]
    [InlineData("/imgs/win10.img.full.sum", "", "win10")]
    [InlineData("/imgs/aula1/win10.img.lock", "aula1", "win10")]
    [InlineData("/imgs/a.img.b.img.sum", "", "a.img.b")]
    public void Every_file_of_an_image_maps_to_its_key(string path, string folder, string name) =>
        ImageFiles.KeyOf("/imgs", path).Should().Be(new ImageKey(folder, name));

    [Theory]
    [InlineData("/imgs/a/b/win10.img")]
    [InlineData("/other/win10.img")]
    [InlineData("/imgs/.win10.upload-0123.tmp")]
    [InlineData("/imgs/readme.txt")]
    public void Other_files_map_to_no_image(string path) => ImageFiles.KeyOf("/imgs", path).Should().BeNull();

    [Theory]
    [InlineData("win10.img", true)]
    [InlineData("aula1/win10.img.torrent", true)]
    [InlineData("../win10.img", false)]
    [InlineData("aula1/../win10.img", false)]
    [InlineData("win10.img.lock", false)]
    [InlineData("win10.img.ant", false)]
    [InlineData("win 10.img", false)]
    [InlineData("a/b/win10.img", false)]
    [InlineData("", false)]
    public void Only_images_and_their_served_sidecars_are_valid_unicast_paths(string path, bool valid) =>
        (UnicastPath.Parse(path) is not null).Should().Be(valid);
}
