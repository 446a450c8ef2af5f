using OgActors.Imaging.Profiles;

namespace OgActors.Imaging.Tests.Profiles;

public sealed class ProfileParsersTests
{
    [Fact]
    public void Os_release_values_are_unquoted_and_unescaped_and_comments_skipped()
    {
        var fields = OsRelease.Parse("# comment\nNAME=\"Debian GNU/Linux\"\nVERSION_ID='12'\nID=debian\nPRETTY_NAME=\"A \\\"quoted\\\" \\$name\"\nbad line\n");
        fields["NAME"].Should().Be("Debian GNU/Linux");
        fields["VERSION_ID"].Should().Be("12");
        fields["ID"].Should().Be("debian");
        fields["PRETTY_NAME"].Should().Be("A \"quoted\" $name");
        fields.Should().HaveCount(4);
    }

    [Fact]
    public void Dpkg_names_are_qualified_like_binary_package_and_not_installed_entries_left_out()
    {
        var status = ProfileFixtures.Paragraph("dpkg", "1.21.22", arch: "arm64")
                     + ProfileFixtures.Paragraph("libc6", "2.36-9", arch: "arm64", multiArch: "same")
                     + ProfileFixtures.Paragraph("tzdata", "2024a", arch: "all")
                     + ProfileFixtures.Paragraph("wine32", "8.0", arch: "armhf")
                     + ProfileFixtures.Paragraph("gone", "1", "purge ok not-installed");
        DpkgStatus.Parse(status).Should().Equal(
            new InstalledSoftware("dpkg", "1.21.22"), new InstalledSoftware("libc6:arm64", "2.36-9"),
            new InstalledSoftware("tzdata", "2024a"), new InstalledSoftware("wine32:armhf", "8.0"));
    }
}
