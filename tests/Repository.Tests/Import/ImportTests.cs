using Akka.Actor;
using OgActors.Messages.Common;
using OgActors.Messages.Repositories;
using OgActors.Repository.Tests.Support;

namespace OgActors.Repository.Tests.Import;

/// <summary>Imports from other tools and servers, through the RepositoryActor, then incorporated like any arrival.</summary>
public sealed class ImportTests : RepositoryTestBase
{
    private async Task<ImportCompleted> ImportAsync(string path, string? name = null)
    {
        var reply = await Repository.Ask<object>(new ImportImage(path, name, ""), TimeSpan.FromSeconds(60));
        return reply.Should().BeOfType<ImportCompleted>($"the import should succeed, not: {(reply as Refused)?.Reason}").Subject;
    }

    [Fact]
    public async Task A_split_set_is_joined_into_one_image_without_decompressing()
    {
        var source = TestImages.Lzop(1);
        var dir = Directory.CreateDirectory(Path.Combine(Scratch, "split")).FullName;
        Tool.Run($"split -b 700K -a 3 -d {Tool.Quote(source)} {Tool.Quote(Path.Combine(dir, "winxp.img."))}");
        Directory.GetFiles(dir).Length.Should().BeGreaterThan(2);

        var done = await ImportAsync(Path.Combine(dir, "winxp.img.000"));

        done.Images.Should().ContainSingle().Which.CanonicalName.Should().Be("winxp");
        done.Images[0].Sources.Should().HaveCount(Directory.GetFiles(dir).Length);
        var image = Path.Combine(ImagesDirectory, "winxp.img");
        Tool.Md5Sum(image).Should().Be(Tool.Md5Sum(source), "the volumes are concatenated byte for byte");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "winxp").FullSum.Should().Be(Tool.Md5Sum(source));
    }

    [Fact]
    public async Task A_Clonezilla_image_directory_becomes_one_image_per_partition()
    {
        var dir = Directory.CreateDirectory(Path.Combine(Scratch, "2024-win10_lab")).FullName;
        File.WriteAllText(Path.Combine(dir, "disk"), "sda\n");
        File.WriteAllText(Path.Combine(dir, "parts"), "sda1 sda2\n");
        File.WriteAllText(Path.Combine(dir, "sda-pt.sf"), "label: dos\ndevice: /dev/sda\nunit: sectors\n\n/dev/sda1 : start=2048, size=24576, type=83\n/dev/sda2 : start=26624, size=24576, type=83\n");
        File.WriteAllText(Path.Combine(dir, "clonezilla-img"), "saved by a test\n");
        File.WriteAllText(Path.Combine(dir, "dev-fs.list"), "# <Device name>   <File system>\n/dev/sda1 ext4\n/dev/sda2 ext4\n");
        Tool.Run($"split -b 1M -a 2 {Tool.Quote(TestImages.Gzip(2))} {Tool.Quote(Path.Combine(dir, "sda1.ext4-ptcl-img.gz."))}");
        File.Copy(TestImages.Gzip(3), Path.Combine(dir, "sda2.ext4-ptcl-img.gz.aa"));

        var done = await ImportAsync(dir);

        done.Images.Select(i => i.CanonicalName).Should().BeEquivalentTo(["2024-win10_lab-sda1", "2024-win10_lab-sda2"]);
        Tool.Md5Sum(Path.Combine(ImagesDirectory, "2024-win10_lab-sda1.img")).Should().Be(Tool.Md5Sum(TestImages.Gzip(2)));
        Tool.Md5Sum(Path.Combine(ImagesDirectory, "2024-win10_lab-sda2.img")).Should().Be(Tool.Md5Sum(TestImages.Gzip(3)));
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "2024-win10_lab-sda1");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "2024-win10_lab-sda2").Info.OgLine.Should().StartWith("PARTCLONE:GZIP:EXTFS:");
    }

    [Fact]
    public async Task A_FOG_image_directory_becomes_one_image_per_partition()
    {
        var dir = Directory.CreateDirectory(Path.Combine(Scratch, "Win 10 Aula")).FullName;
        File.WriteAllText(Path.Combine(dir, "d1.partitions"), "label: dos\ndevice: /dev/sda\nunit: sectors\n\n/dev/sda1 : start=2048, size=24576, type=83\n/dev/sda2 : start=26624, size=24576, type=83\n");
        File.WriteAllBytes(Path.Combine(dir, "d1.mbr"), new byte[512]);
        File.Copy(TestImages.Gzip(4), Path.Combine(dir, "d1p1.img"));
        Tool.Run($"split -b 1M -a 3 -d {Tool.Quote(TestImages.Gzip(5))} {Tool.Quote(Path.Combine(dir, "d1p2.img."))}");

        var done = await ImportAsync(dir, name: "win10");

        done.Images.Select(i => i.CanonicalName).Should().BeEquivalentTo(["win10-d1p1", "win10-d1p2"]);
        Tool.Md5Sum(Path.Combine(ImagesDirectory, "win10-d1p2.img")).Should().Be(Tool.Md5Sum(TestImages.Gzip(5)));
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "win10-d1p1");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "win10-d1p2");
    }

    [Fact]
    public async Task Another_OpenGnsys_servers_image_is_checked_against_its_sums_and_incorporated_afresh()
    {
        var other = Directory.CreateDirectory(Path.Combine(Scratch, "other-repo")).FullName;
        var image = Path.Combine(other, "ubuntu22.img");
        File.Copy(TestImages.Lzop(6), image);
        Tool.Run($"md5sum -b {Tool.Quote(image)} | cut -d' ' -f1 > {Tool.Quote(image + ".full.sum")}");
        Tool.Run($"tail -c1M {Tool.Quote(image)} | md5sum -b | cut -d' ' -f1 > {Tool.Quote(image + ".sum")}");
        File.WriteAllText(image + ".torrent", "an old torrent announcing another tracker");

        var done = await ImportAsync(image);

        done.Images.Should().ContainSingle().Which.SumsVerified.Should().BeTrue();
        var available = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "ubuntu22");
        available.FullSum.Should().Be(File.ReadAllText(image + ".full.sum").Trim());
        File.ReadAllText(Path.Combine(ImagesDirectory, "ubuntu22.img.torrent")).Should().NotContain("another tracker");
    }

    [Fact]
    public async Task An_image_that_does_not_match_its_sums_is_refused_and_nothing_is_written()
    {
        var other = Directory.CreateDirectory(Path.Combine(Scratch, "other-repo")).FullName;
        var image = Path.Combine(other, "tampered.img");
        File.Copy(TestImages.Lzop(6), image);
        File.WriteAllText(image + ".full.sum", Tool.Md5Sum(TestImages.Lzop(7)) + "\n");

        var reply = await Repository.Ask<object>(new ImportImage(image, null, ""), TimeSpan.FromSeconds(60));

        reply.Should().BeOfType<Refused>().Which.Reason.Should().Contain("does not match its .full.sum");
        Directory.GetFiles(ImagesDirectory, "*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public async Task An_import_onto_an_existing_name_or_of_a_missing_path_is_refused()
    {
        ArriveByRename(TestImages.Lzop(1), "taken");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "taken");

        var taken = await Repository.Ask<object>(new ImportImage(TestImages.Lzop(2), "taken", ""), TimeSpan.FromSeconds(30));
        taken.Should().BeOfType<Refused>().Which.Reason.Should().Contain("already exists");

        var missing = await Repository.Ask<object>(new ImportImage("/nonexistent/thing.img", null, ""), TimeSpan.FromSeconds(30));
        missing.Should().BeOfType<Refused>().Which.Reason.Should().Contain("does not exist");

        var badName = await Repository.Ask<object>(new ImportImage(TestImages.Lzop(2), "bad name.x", ""), TimeSpan.FromSeconds(30));
        badName.Should().BeOfType<Refused>().Which.Reason.Should().Contain("not a valid canonical name");
    }
}
