using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Cluster.Tools.PublishSubscribe;
using OgActors.Coordinator.Tests.Support;
using OgActors.Ctl;
using OgActors.Ctl.Api;
using OgActors.Ctl.Commands;
using OgActors.Messages.Common;
using OgActors.Messages.Images;
using OgActors.Messages.Profiles;
using OgActors.Messages.Repositories;

namespace OgActors.Coordinator.Tests;

/// <summary>
/// Software profiles on the coordinator: what a repository publishes is attached to the image of the same name, per
/// content (revision), journaled, shown by the API and ogctl (<c>profile show</c>, <c>profile diff</c>, the OS column
/// of <c>image list</c>), and survives a restart.
/// </summary>
public sealed class ProfileTests
{
    private static readonly Func<CtlContext, Command>[] Palettes = [ImageCommands.Create, ProfileCommands.Create];

    private static async Task<(int Exit, string Out, string Err)> Ogctl(DomainHost host, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var env = new CtlEnvironment(v => v switch { "OG_API" => host.ApiUrl, "OG_TOKEN" => "alice-token", _ => null },
            Path.GetTempPath(), stdout, stderr, Interactive: false);
        var exit = await CtlApp.RunAsync(args, env, Palettes);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static ImageFileAvailable File(string name, string fullSum) =>
        new("repo1", name, "", Scenario.Info, "sum-" + fullSum, fullSum, "hash-" + fullSum, 4096, DateTimeOffset.UtcNow);

    private static SoftwareProfile Profile(string name, string fullSum, params (string Name, string Version)[] packages) =>
        new(name, "repo1", "", fullSum, 0, "ext4", "Debian GNU/Linux", "12", "debian", ["6.1.0-18-amd64"], "dpkg",
            [.. packages.Select(p => new SoftwarePackage(p.Name, p.Version)), new SoftwarePackage("old-conf", "1", "config-files")],
            new Dictionary<string, string> { ["label"] = "root" }, ["boot/", "etc/"], [new ProfileGap("kernels", "none")], 1L << 30, 4096, 2.5,
            DateTimeOffset.UtcNow);

    [Fact]
    public async Task Profiles_are_attached_per_revision_shown_diffed_and_survive_a_restart()
    {
        using var store = JournalStore.Sqlite();
        await using (var host = await DomainHost.StartAsync(store, serializeMessages: true))
        {
            var d = host.Domain;
            var mediator = DistributedPubSub.Get(host.System).Mediator;
            void Announce(IRepositoryFileEvent e) => mediator.Tell(new Publish(Topics.RepositoryFiles, e), Akka.Actor.ActorRefs.NoSender);
            (await d.AskAsync(new DefineImage("deb", "Debian lab", "hand-typed: Debian + LibreOffice", 1, "EXT4", "repo1", "lab", "alice")))
                .Should().BeOfType<Accepted>();
            await Task.Delay(500);

            Announce(File("deb", "A"));
            await Eventually(d, "deb", v => v.Revision == 1);
            (await d.AskAsync(new GetImageProfile("deb"))).Should().BeOfType<Refused>().Which.Reason
                .Should().Be("The profile of image deb revision 1 has not been read yet.");
            Announce(new ImageProfileProgress("repo1", "deb", "", "A", "restoring", 40, "", DateTimeOffset.UtcNow));
            (await Eventually(d, "deb", v => v.Profile?.Status.Contains("40 %") == true)).Profile!.Status
                .Should().Be("is being read by repo1 (restoring to scratch, 40 %)");
            (await Ogctl(host, "image", "list")).Out.Should().Contain("(reading)");

            Announce(new ImageProfileRead("repo1", "deb", "", Profile("deb", "A", ("bash", "5.2-1"), ("vim", "9.0-1"), ("gone", "1.0"))));
            var view = await Eventually(d, "deb", v => v.Profile?.Status == "read");
            view.Profile.Should().Be(new ProfileSummary(1, "Debian GNU/Linux", "12", 3, "Debian GNU/Linux 12, 3 packages", "read"));
            view.SoftwareProfile.Should().Be("hand-typed: Debian + LibreOffice", "the profile defined by hand stays as it was");

            Announce(File("deb", "B"));
            await Eventually(d, "deb", v => v.Revision == 2);
            Announce(new ImageProfileRead("repo1", "deb", "", Profile("deb", "B", ("bash", "5.2-2"), ("vim", "9.0-1"), ("firefox-esr", "115.0"))));
            await Eventually(d, "deb", v => v.Profile is { Status: "read", Revision: 2 });

            var show = await Ogctl(host, "profile", "show", "deb");
            show.Exit.Should().Be(0, show.Err);
            show.Out.Should().Contain("deb revision 2: Debian GNU/Linux 12, 3 packages").And.Contain("6.1.0-18-amd64")
                .And.Contain("3 installed (dpkg; 1 more in other states)").And.Contain("not read: kernels: none");
            var first = JsonDocument.Parse((await Ogctl(host, "profile", "show", "deb", "--revision", "1", "--json")).Out).RootElement;
            first.GetProperty("revision").GetInt32().Should().Be(1);
            first.GetProperty("packages").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Should().Contain("gone");

            var diff = await Ogctl(host, "profile", "diff", "deb", "--from-revision", "1", "--to-revision", "2");
            diff.Exit.Should().Be(0, diff.Err);
            diff.Out.Should().Contain("from deb revision 1").And.Contain("added").And.Contain("firefox-esr").And.Contain("removed")
                .And.Contain("5.2-1 → 5.2-2").And.Contain("1 added, 1 removed, 1 upgraded, 0 downgraded");
            var json = JsonDocument.Parse((await Ogctl(host, "profile", "diff", "deb", "--from-revision", "1", "--json")).Out).RootElement;
            json.GetProperty("added")[0].GetProperty("name").GetString().Should().Be("firefox-esr");
            json.GetProperty("changed")[0].GetProperty("upgraded").GetBoolean().Should().BeTrue();

            var list = await Ogctl(host, "image", "list");
            list.Out.Should().Contain("OS").And.Contain("Debian GNU/Linux 12");

            var missing = await Ogctl(host, "profile", "show", "deb", "--revision", "7");
            missing.Exit.Should().Be(1);
            missing.Err.Trim().Should().Be("ogctl: Image deb has no revision 7 (its revisions are 1, 2).");
            (await Ogctl(host, "profile", "show", "nope")).Err.Trim().Should().Be("ogctl: Image nope is not defined.");
            (await Ogctl(host, "profile", "diff", "deb")).Err.Trim().Should().StartWith("ogctl: Comparing deb with itself");
        }

        // Event-sourced with the image: a restarted coordinator still has both revisions' profiles.
        await using (var again = await DomainHost.StartAsync(store))
        {
            var p = (await again.Domain.AskAsync(new GetImageProfile("deb", 1))).Should().BeOfType<SoftwareProfile>().Subject;
            p.Revision.Should().Be(1);
            p.Packages.Should().Contain(new SoftwarePackage("gone", "1.0"));
            using var http = again.Api("alice");
            var response = await http.GetAsync("api/profiles/diff?from=deb&fromRevision=1&to=deb&toRevision=2");
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            var d = await response.Content.ReadFromJsonAsync<ProfileDiff>(new JsonSerializerOptions(JsonSerializerDefaults.Web));
            d!.Added.Should().Equal(new SoftwarePackage("firefox-esr", "115.0"));
        }
    }

    [Fact]
    public void Versions_order_as_dpkg_orders_them()
    {
        PackageVersion.Compare("5.2-2", "5.2-1").Should().BePositive();
        PackageVersion.Compare("1:1.0", "9.9").Should().BePositive();
        PackageVersion.Compare("1.0~rc1", "1.0").Should().BeNegative();
        PackageVersion.Compare("1.10", "1.9").Should().BePositive();
        PackageVersion.Compare("2.36-9+deb12u4", "2.36-9+deb12u10").Should().BeNegative();
        PackageVersion.Compare("1.0a", "1.0").Should().BePositive();
        PackageVersion.Compare("10.0.19045", "10.0.19045").Should().Be(0);
    }

    private static async Task<ImageView> Eventually(Domain.CoordinatorDomain d, string name, Func<ImageView, bool> condition)
    {
        ImageView? view = null;
        for (var i = 0; i < 200; i++)
        {
            view = await d.ImageAsync(name);
            if (view is not null && condition(view)) return view;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Image {name} never reached the expected state; last: {view}");
    }
}
