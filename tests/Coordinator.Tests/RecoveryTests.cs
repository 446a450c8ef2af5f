using OgActors.Coordinator.Tests.Support;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;
using OgActors.Messages.Images;
using OgActors.Messages.Repositories;

namespace OgActors.Coordinator.Tests;

/// <summary>Each entity comes back from the journal, unchanged, after the coordinator restarts.</summary>
public sealed class RecoveryTests
{
    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Classroom_and_image_are_recovered_after_a_restart(string kind)
    {
        using var store = JournalStore.Create(kind);
        ClassroomView before;
        ImageView imageBefore;
        await using (var host = await DomainHost.StartAsync(store))
        {
            var d = host.Domain;
            (await d.AskAsync(new DefineClassroom("Lab-A", "172.17.36.0/24", "alice"))).Should().BeOfType<Accepted>();
            (await d.AskAsync(new AddComputer("lab-a", "pc01", "172.17.36.11", "52-54-00-AA-BB-01", "repo1", 20L << 30, "alice")))
                .Should().BeOfType<Accepted>();
            (await d.AskAsync(new AddComputer("lab-a", "pc02", "172.17.36.12", "525400aabb02", "", 0, "alice"))).Should().BeOfType<Accepted>();
            (await d.AskAsync(new SetMulticastDefaults("lab-a", 9002, null, DuplexMode.Half, 100, 2, 60, "bob"))).Should().BeOfType<Accepted>();
            (await d.AskAsync(new SetP2PDefaults("lab-a", P2PMode.Seeder, 120, "bob"))).Should().BeOfType<Accepted>();
            (await d.AskAsync(new RecordPartitionImage("lab-a", "pc01", 1, "win11", 3, "s-1", "session:s-1"))).Should().BeOfType<Accepted>();
            (await d.AskAsync(new DefineImage("win11", "Windows 11", "W11 + Office", 1, "ntfs", "repo1", "lab image", "alice")))
                .Should().BeOfType<Accepted>();
            (await d.AskAsync(new LinkImageFile("win11", "repo1", "", Info(), "sum1", "full1", "hash1", 1000, DateTimeOffset.UtcNow)))
                .Should().BeOfType<Accepted>();
            before = (await d.ClassroomAsync("lab-a"))!;
            imageBefore = (await d.ImageAsync("win11"))!;
        }

        before.Name.Should().Be("Lab-A");
        before.Multicast.Should().Be(new MulticastSettings(9002, "239.194.17.36", DuplexMode.Half, 100, 2, 60));
        before.Computers.Select(c => c.Mac).Should().Equal("52:54:00:aa:bb:01", "52:54:00:aa:bb:02");
        imageBefore.Revision.Should().Be(1);
        imageBefore.PartitionType.Should().Be("NTFS");

        await using (var host = await DomainHost.StartAsync(store))
        {
            var after = await host.Domain.ClassroomAsync("LAB-A");
            after.Should().BeEquivalentTo(before);
            after!.Computers[0].Partitions.Should().ContainSingle().Which.Should().Match<PartitionImage>(p => p.Image == "win11" && p.Revision == 3);
            (await host.Domain.ImageAsync("win11")).Should().BeEquivalentTo(imageBefore);
            (await host.Domain.ListClassroomsAsync()).Select(c => c.Name).Should().Equal("Lab-A");
            (await host.Domain.ListImagesAsync()).Select(i => i.Canonical).Should().Equal("win11");
        }
    }

    internal static ImageFileInfo Info() => new("PARTCLONE", "LZOP", "NTFS", 72100000, 1_000_000, "PARTCLONE:LZOP:NTFS:72100000");
}
