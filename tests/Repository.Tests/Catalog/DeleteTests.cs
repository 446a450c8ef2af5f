using Akka.Actor;
using OgActors.Messages.Common;
using OgActors.Messages.Repositories;
using OgActors.Repository.Tests.Support;

namespace OgActors.Repository.Tests.Catalog;

/// <summary>Delete keeps the previous version as .ant (OpenGnsys's deleteimage/createImage rule) unless purged.</summary>
public sealed class DeleteTests : RepositoryTestBase
{
    [Fact]
    public async Task Delete_keeps_the_previous_version_as_ant_with_its_sidecars()
    {
        var image = ArriveByRename(TestImages.Lzop(1), "win10");
        var available = ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "win10");

        var reply = await Repository.Ask<object>(new DeleteImageFile("win10", "", Purge: false), TimeSpan.FromSeconds(10));

        reply.Should().BeOfType<Accepted>();
        ExpectFileEvent<ImageFileRemoved>(e => e.CanonicalName == "win10");
        File.Exists(image).Should().BeFalse();
        foreach (var suffix in new[] { ".sum", ".full.sum", ".torrent" })
            File.Exists(image + suffix).Should().BeFalse();
        Tool.Md5Sum(image + ".ant").Should().Be(available.FullSum);
        File.ReadAllText(image + ".full.sum.ant").Trim().Should().StartWith(available.FullSum);
        File.Exists(image + ".sum.ant").Should().BeTrue();
        File.Exists(image + ".torrent.ant").Should().BeTrue();
        View.Entries.Should().BeEmpty();
        (await Http.GetAsync("/images/win10.img")).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Purge_leaves_nothing_behind()
    {
        var image = ArriveByRename(TestImages.Lzop(1), "old");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "old");
        File.WriteAllText(image + ".ant", "an older version");

        var reply = await Repository.Ask<object>(new DeleteImageFile("old", "", Purge: true), TimeSpan.FromSeconds(10));

        reply.Should().BeOfType<Accepted>();
        Directory.GetFiles(ImagesDirectory).Should().BeEmpty();
    }

    [Fact]
    public async Task Deleting_an_unknown_or_locked_image_is_refused()
    {
        (await Repository.Ask<object>(new DeleteImageFile("nothing", "", false), TimeSpan.FromSeconds(10)))
            .Should().BeOfType<Refused>().Which.Reason.Should().Contain("has no image nothing");
        (await Repository.Ask<object>(new DeleteImageFile("../etc", "", false), TimeSpan.FromSeconds(10)))
            .Should().BeOfType<Refused>().Which.Reason.Should().Contain("not a valid canonical name");

        var image = Path.Combine(ImagesDirectory, "busy.img");
        File.WriteAllText(image + ".lock", "");
        File.Copy(TestImages.Lzop(1), image);
        await WaitForStateAsync("busy", ImageFileState.Locked);
        (await Repository.Ask<object>(new DeleteImageFile("busy", "", false), TimeSpan.FromSeconds(10)))
            .Should().BeOfType<Refused>().Which.Reason.Should().Contain("locked");
        File.Exists(image).Should().BeTrue();
    }
}

/// <summary>The catalog a repository answers with, whole or for one OU folder.</summary>
public sealed class CatalogQueryTests : RepositoryTestBase
{
    [Fact]
    public async Task The_catalog_lists_every_image_or_those_of_one_folder()
    {
        ArriveByRename(TestImages.Lzop(1), "root1");
        ArriveByRename(TestImages.Lzop(1), "ou1img", folder: "ou1");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "root1");
        ExpectFileEvent<ImageFileAvailable>(e => e.CanonicalName == "ou1img");

        var all = await Repository.Ask<RepositoryAnnounced>(new GetRepositoryCatalog(), TimeSpan.FromSeconds(5));
        all.Images.Select(i => i.CanonicalName).Should().BeEquivalentTo(["root1", "ou1img"]);
        all.Images.Should().OnlyContain(i => i.State == ImageFileState.Ready);
        var ou = await Repository.Ask<RepositoryAnnounced>(new GetRepositoryCatalog("ou1"), TimeSpan.FromSeconds(5));
        ou.Images.Should().ContainSingle().Which.CanonicalName.Should().Be("ou1img");
    }
}
