using OgActors.RepositoryNode.Import;

namespace OgActors.Repository.Tests.Import;

public sealed class CanonicalNamesTests
{
    [Theory]
    [InlineData("Win 10 Aula", "Win-10-Aula")]
    [InlineData("it's/a..name", "it-s-a-name")]
    [InlineData("  ", "image")]
    [InlineData("ubuntu_22-04", "ubuntu_22-04")]
    public void Unsafe_characters_become_dashes(string text, string expected) => CanonicalNames.Sanitize(text).Should().Be(expected);

    [Theory]
    [InlineData("/x/winxp.img", "winxp")]
    [InlineData("/x/sda1.ext4-ptcl-img.zst.aa", "sda1")]
    [InlineData("/x/d1p2.img.000", "d1p2")]
    public void A_file_is_named_by_what_comes_before_its_first_dot(string path, string expected) =>
        CanonicalNames.FromFile(path).Should().Be(expected);

    [Fact]
    public void A_directory_partition_is_named_dir_dash_partition() =>
        CanonicalNames.FromDirectoryPartition("2024 Win10", "sda1").Should().Be("2024-Win10-sda1");
}
