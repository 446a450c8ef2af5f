using OgActors.Coordinator.Domain;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Common;
using OgActors.Messages.Images;
using OgActors.Messages.Repositories;

namespace OgActors.Coordinator.Tests.Support;

/// <summary>Operator steps shared by the tests, each checked to be accepted.</summary>
public static class Scenario
{
    public static async Task DefineClassroomAsync(CoordinatorDomain d, string name, string network, params string[] computers)
    {
        (await d.AskAsync(new DefineClassroom(name, network, "alice"))).Should().BeOfType<Accepted>();
        var prefix = network[..network.LastIndexOf('.')];
        for (var i = 0; i < computers.Length; i++)
            (await d.AddComputerAsync(new AddComputer(name, computers[i], $"{prefix}.{i + 11}", $"52:54:00:00:{i / 256:x2}:{i % 256:x2}",
                "repo1", 8L << 30, "alice"))).Should().BeOfType<Accepted>($"{computers[i]} must be added");
    }

    public static async Task DefineLinkedImageAsync(CoordinatorDomain d, string canonical, string fullSum = "full-1")
    {
        (await d.AskAsync(new DefineImage(canonical, "Windows 11", "W11 + Office", 1, "NTFS", "repo1", "lab image", "bob")))
            .Should().BeOfType<Accepted>();
        (await d.AskAsync(new LinkImageFile(canonical, "repo1", "", Info, "sum", fullSum, "infohash", 1 << 20, DateTimeOffset.UtcNow)))
            .Should().BeOfType<Accepted>();
    }

    public static ImageFileInfo Info { get; } = new("PARTCLONE", "LZOP", "NTFS", 72100000, 1_000_000, "PARTCLONE:LZOP:NTFS:72100000");
}
