using Akka.TestKit;
using OgActors.Coordinator.Repositories;
using OgActors.Coordinator.Sessions;
using OgActors.Coordinator.Tests.Support;
using OgActors.Hosting.Uploads;
using OgActors.Messages.Common;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Tests;

/// <summary>A create-image session gives its job the upload capability for exactly that image, computer, session and repository.</summary>
public sealed class UploadCapabilitySessionTests
{
    [Fact]
    public async Task A_create_image_job_carries_a_capability_signed_for_its_image_computer_and_session()
    {
        var uploads = new UploadSettings(UploadCapability.NewSecret(), TimeSpan.FromHours(2), 5L << 30);
        var settings = new SessionSettings
        {
            ResendInterval = TimeSpan.FromMilliseconds(400),
            Uploads = new UploadCapabilityIssuer(uploads),
        };
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, settings);
        await Scenario.DefineClassroomAsync(host.Domain, "lab", "10.1.2.0/24", "pc01");
        await Scenario.AnnounceRepositoryAsync(host);
        await Scenario.DefineLinkedImageAsync(host.Domain, "win11");
        var agent = host.Kit.CreateTestProbe();
        host.System.EventStream.Publish(new AgentAvailable("pc01", agent.Ref, [.. JobKinds.ThisRelease]));

        var reply = await host.Domain.Planner.StartAsync(new SessionRequest(SessionKind.CreateImage, Computers: ["pc01"], Image: "win11",
            Partition: 1, Repository: "repo1", Method: TransferMethod.Unicast), "alice");
        var id = reply.Should().BeOfType<Accepted>().Subject.Id!;
        var job = agent.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));

        var (capability, refusal) = UploadCapability.Verify(job.Spec.UploadCapability, [uploads.Secret], "", "win11", "repo1", DateTimeOffset.UtcNow);
        refusal.Should().BeNull();
        capability!.Computer.Should().Be("pc01");
        capability.Session.Should().Be(id);
        capability.MaxBytes.Should().Be(5L << 30);
        capability.ExpiresAt.Should().BeCloseTo(DateTimeOffset.UtcNow + TimeSpan.FromHours(2), TimeSpan.FromMinutes(1));
        UploadCapability.Verify(job.Spec.UploadCapability, [uploads.Secret], "", "win10", "repo1", DateTimeOffset.UtcNow).Capability.Should().BeNull();

        // Other kinds of job carry none.
        settings.Uploads.Attach(id, "pc01", job.Spec with { Kind = SessionKind.Restore, UploadCapability = "" }, DateTimeOffset.UtcNow)
            .UploadCapability.Should().BeEmpty();
    }

    [Fact]
    public async Task The_upload_limit_is_the_source_partitions_size_from_the_computers_inventory_when_below_the_ceiling()
    {
        var uploads = new UploadSettings(UploadCapability.NewSecret(), TimeSpan.FromHours(2), 5L << 30);
        var settings = new SessionSettings { ResendInterval = TimeSpan.FromMilliseconds(400), Uploads = new UploadCapabilityIssuer(uploads) };
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, settings);
        await Scenario.DefineClassroomAsync(host.Domain, "lab", "10.1.2.0/24", "pc01", "pc02");
        await Scenario.AnnounceRepositoryAsync(host);
        await Scenario.DefineLinkedImageAsync(host.Domain, "win11");
        await Scenario.ReportInventoryAsync(host, "pc01", Scenario.Partition(1, "ntfs", 1L << 30), Scenario.Partition(2, "ext4", 8L << 30));
        await Scenario.ReportInventoryAsync(host, "pc02", Scenario.Partition(1, "ntfs", 64L << 30));
        var pc01 = host.Kit.CreateTestProbe();
        var pc02 = host.Kit.CreateTestProbe();
        host.System.EventStream.Publish(new AgentAvailable("pc01", pc01.Ref, [.. JobKinds.ThisRelease]));
        host.System.EventStream.Publish(new AgentAvailable("pc02", pc02.Ref, [.. JobKinds.ThisRelease]));

        async Task<UploadCapability> CapabilityOf(string computer, TestProbe agent)
        {
            (await host.Domain.Planner.StartAsync(new SessionRequest(SessionKind.CreateImage, Computers: [computer], Image: "win11",
                Partition: 1, Repository: "repo1", Method: TransferMethod.Unicast), "alice")).Should().BeOfType<Accepted>();
            var job = agent.ExpectMsg<RunJob>(TimeSpan.FromSeconds(5));
            var (capability, refusal) = UploadCapability.Verify(job.Spec.UploadCapability, [uploads.Secret], "", "win11", "repo1", DateTimeOffset.UtcNow);
            refusal.Should().BeNull();
            return capability!;
        }

        // A 1 GiB source partition: its image cannot need more than the partition plus the tools' overhead, far below the 5 GiB ceiling.
        (await CapabilityOf("pc01", pc01)).MaxBytes.Should().Be(UploadCapabilityIssuer.WithOverhead(1L << 30)).And.BeLessThan(5L << 30);
        // A 64 GiB one: the configured ceiling is the smaller.
        (await CapabilityOf("pc02", pc02)).MaxBytes.Should().Be(5L << 30);
        UploadCapabilityIssuer.WithOverhead(1L << 30).Should().Be((1L << 30) + (1L << 30) / 100 + (16L << 20));
    }

    [Fact]
    public void The_audit_line_of_an_uploaded_revision_says_who_uploaded_it()
    {
        var info = new OgActors.Messages.Repositories.ImageFileInfo("partclone", "lzop", "EXTFS", 1000, 900_000, "PARTCLONE:LZOP:EXTFS:1000");
        var linked = new OgActors.Messages.Images.ImageFileLinked("win11", "repo1", "", info, "s", "f", "h", 4096, DateTimeOffset.UtcNow, 2,
            "repository:repo1", DateTimeOffset.UtcNow, "pc01 in session S-7");
        OgActors.Coordinator.Audit.AuditDescriber.Describe(1, linked).Details.Should().EndWith("revision 2, uploaded by pc01 in session S-7");
        OgActors.Coordinator.Audit.AuditDescriber.Describe(2, linked with { UploadedBy = "" }).Details.Should().NotContain("uploaded by");
    }
}
