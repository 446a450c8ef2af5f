using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OgActors.Coordinator.Api;
using OgActors.Coordinator.Tests.Support;

namespace OgActors.Coordinator.Tests;

/// <summary>The domain palettes over real HTTP on 127.0.0.1: JSON in and out, one-sentence errors, the caller's identity audited.</summary>
public sealed class ApiTests
{
    [Fact]
    public async Task Operators_define_list_and_start_sessions_over_http()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, serializeMessages: false); // it reads the audit tags back
        using var alice = host.Api("alice");

        (await alice.PostAsJsonAsync("api/classrooms", new { name = "aula1", network = "172.17.36.0/24" })).StatusCode.Should().Be(HttpStatusCode.OK);
        await Expect(alice.PostAsJsonAsync("api/classrooms", new { name = "aula2", network = "172.17.36.5/24" }), HttpStatusCode.BadRequest,
            "The network '172.17.36.5/24' has host bits set; write its network address, e.g. 172.17.36.0/24.");
        (await alice.PostAsJsonAsync("api/classrooms/aula1/computers", new { name = "pc01", ip = "172.17.36.11", mac = "52:54:00:12:34:56", repository = "repo1", cacheSizeBytes = 1L << 30 }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        await Expect(alice.PostAsJsonAsync("api/classrooms/aula1/computers", new { name = "pc02", ip = "10.0.0.1", mac = "52:54:00:12:34:57" }),
            HttpStatusCode.BadRequest, "The IP address 10.0.0.1 is outside classroom aula1's network 172.17.36.0/24.");
        await Expect(alice.PostAsJsonAsync("api/classrooms/nope/computers", new { name = "pc02", ip = "10.0.0.1", mac = "52:54:00:12:34:57" }),
            HttpStatusCode.NotFound, "Classroom nope does not exist.");
        await Expect(alice.PostAsJsonAsync("api/classrooms/aula1/multicast", new { port = 9001 }), HttpStatusCode.BadRequest,
            "The multicast port 9001 must be even and between 9000 and 9098 (9000, 9002, …).");
        (await alice.PostAsJsonAsync("api/classrooms/aula1/p2p", new { mode = "Seeder", seedSeconds = 30 })).StatusCode.Should().Be(HttpStatusCode.OK);

        await Scenario.AnnounceRepositoryAsync(host); // repo1 runs
        await Expect(alice.PostAsJsonAsync("api/images", new { canonical = "win 11", displayName = "W", softwareProfile = "p", partition = 1, partitionType = "NTFS", repository = "repo1", comments = "c" }),
            HttpStatusCode.BadRequest, "The canonical name 'win 11' contains a space, which is not allowed in an image file name.");
        using var bob = host.Api("bob");
        (await bob.PostAsJsonAsync("api/images", new { canonical = "win11", displayName = "Windows 11", softwareProfile = "W11", partition = 1, partitionType = "NTFS", repository = "repo1", comments = "c" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        var rooms = await alice.GetFromJsonAsync<JsonElement>("api/classrooms");
        rooms[0].GetProperty("multicast").GetProperty("groupAddress").GetString().Should().Be("239.194.17.36");
        rooms[0].GetProperty("p2P").GetProperty("mode").GetString().Should().Be("Seeder");
        (await alice.GetFromJsonAsync<JsonElement>("api/images/win11")).GetProperty("displayName").GetString().Should().Be("Windows 11");

        await Expect(alice.PostAsJsonAsync("api/sessions", new { kind = "Restore", computers = new[] { "pc01" }, image = "win11", partition = 1, method = "Unicast" }),
            HttpStatusCode.BadRequest, "Image win11 has no file in any repository yet.");
        // pc01's agent announces what it runs: restoring, not creating images
        host.System.EventStream.Publish(new Messages.Sessions.AgentAvailable("pc01", host.Kit.CreateTestProbe().Ref,
            [Messages.Sessions.JobKinds.Of(Messages.Sessions.SessionKind.Restore, Messages.Sessions.TransferMethod.Unicast)]));
        var created = await alice.PostAsJsonAsync("api/sessions", new { kind = "CreateImage", computers = new[] { "pc01" }, image = "win11", partition = 1, repository = "repo1" });
        created.StatusCode.Should().Be(HttpStatusCode.OK);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        JsonElement[] sessions = [];
        for (var i = 0; i < 50 && (sessions.Length == 0 || sessions[0].GetProperty("outcome").ValueKind == JsonValueKind.Null); i++)
        {
            await Task.Delay(100);
            sessions = (await alice.GetFromJsonAsync<JsonElement[]>("api/sessions"))!;
        }
        sessions.Should().ContainSingle().Which.GetProperty("sessionId").GetString().Should().Be(id);
        sessions[0].GetProperty("failed").GetInt32().Should().Be(1);
        (await host.Domain.SessionAsync(id!)).Should().NotBeNull("direct");
        (await alice.GetAsync($"api/sessions/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        var watch = await alice.GetStringAsync($"api/sessions/{id}/watch");
        watch.Trim().Split('\n').Should().ContainSingle().Which.Should()
            .Contain("Creating an image (upload by unicast) cannot run on pc01: its agent does not announce CreateImage/Unicast");

        var audit = await alice.GetFromJsonAsync<JsonElement[]>("api/audit?classroom=aula1");
        audit!.Select(e => $"{e.GetProperty("by").GetString()} {e.GetProperty("action").GetString()}").Should().Equal(
            "alice defined", "alice computer added", "alice p2p defaults changed", "alice created");
        await Expect(alice.GetAsync("api/audit?since=yesterday"), HttpStatusCode.BadRequest,
            "The time 'yesterday' is not a date and time such as 2026-11-24T17:00:00Z.");
    }

    [Fact]
    public async Task Over_long_fields_and_an_empty_classroom_name_are_refused_at_once_and_nothing_is_persisted()
    {
        using var store = JournalStore.Sqlite();
        await using var host = await DomainHost.StartAsync(store, serializeMessages: false);
        using var alice = host.Api("alice");
        var name65 = new string('a', 65);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Expect(alice.PostAsJsonAsync("api/classrooms", new { name = "", network = "172.17.36.0/24" }), HttpStatusCode.BadRequest,
            "The classroom name is required.");
        await Expect(alice.GetAsync("api/classrooms/%20"), HttpStatusCode.BadRequest, "The classroom name is required.");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "an empty entity id must not wait for the ask to time out");
        await Expect(alice.PostAsJsonAsync("api/classrooms", new { name = name65, network = "172.17.36.0/24" }), HttpStatusCode.BadRequest,
            $"The classroom name '{name65[..20]}…' is longer than 64 characters.");
        (await alice.PostAsJsonAsync("api/classrooms", new { name = new string('b', 64), network = "172.17.36.0/24" })).StatusCode.Should().Be(HttpStatusCode.OK);

        var image = new { canonical = "win11", displayName = "Windows 11", softwareProfile = "W11", partition = 1, partitionType = "NTFS", repository = "repo1", comments = "c" };
        await Expect(alice.PostAsJsonAsync("api/images", image with { canonical = name65 }), HttpStatusCode.BadRequest,
            $"The canonical name '{name65[..20]}…' is longer than 64 characters.");
        await Expect(alice.PostAsJsonAsync("api/images", image with { displayName = name65 }), HttpStatusCode.BadRequest,
            "The image name is longer than 64 characters.");
        await Expect(alice.PostAsJsonAsync("api/images", image with { comments = new string('c', 4097) }), HttpStatusCode.BadRequest,
            "The comments are longer than 4096 characters (4 KiB).");
        await Expect(alice.PostAsJsonAsync("api/images", image with { repository = name65 }), HttpStatusCode.BadRequest,
            $"The repository '{name65[..20]}…' is longer than 64 characters.");

        (await host.Domain.ListImagesAsync()).Should().BeEmpty();
        (await host.Domain.ListClassroomsAsync()).Select(c => c.Name).Should().Equal(new string('b', 64));
    }

    private static async Task Expect(Task<HttpResponseMessage> call, HttpStatusCode status, string error)
    {
        using var response = await call;
        response.StatusCode.Should().Be(status);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be(error);
    }
}
