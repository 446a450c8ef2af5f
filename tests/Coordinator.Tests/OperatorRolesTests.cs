using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OgActors.Coordinator.Api;
using OgActors.Coordinator.Hosting;
using OgActors.Coordinator.Operations;
using OgActors.Ctl;
using OgActors.Ctl.Api;
using OgActors.Hosting.Configuration;
using OgActors.Messages.Audit;

namespace OgActors.Coordinator.Tests;

/// <summary>
/// The operator API's roles, hashed tokens and HTTPS: a real coordinator serving https:// with a throwaway CA's certificate,
/// operators added with <c>ogctl operator add</c> into its operators file (hashes only), ogctl trusting the CA with --ca.
/// </summary>
public sealed class OperatorRolesTests : IAsyncDisposable
{
    private const string AdminToken = "admin-token-0123456789";
    private readonly string _data = Directory.CreateTempSubdirectory("og-roles-").FullName;
    private CoordinatorNode? _coordinator;

    public async ValueTask DisposeAsync()
    {
        if (_coordinator is not null) await _coordinator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    private static async Task<(int Exit, string Out, string Err)> Ogctl(string? api, string? token, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var env = new CtlEnvironment(v => v switch { "OG_API" => api, "OG_TOKEN" => token, _ => null },
            Path.Combine(Path.GetTempPath(), "og-no-lab"), stdout, stderr, Interactive: false);
        var exit = await CtlApp.RunAsync(args, env);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A CA and a server certificate for 127.0.0.1 issued by it, as PEM files (what 'ogctl pki' will make).</summary>
    private (string Ca, string Cert, string Key) ThrowawayPki()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=og test site CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);

        var paths = (Path.Combine(_data, "ca.pem"), Path.Combine(_data, "api.pem"), Path.Combine(_data, "api.key"));
        File.WriteAllText(paths.Item1, ca.ExportCertificatePem());
        File.WriteAllText(paths.Item2, server.ExportCertificatePem());
        File.WriteAllText(paths.Item3, serverKey.ExportPkcs8PrivateKeyPem());
        return paths;
    }

    private static HttpClient Https(Uri url, string token, string caFile)
    {
        var http = new HttpClient(ApiTrust.Handler(new ApiEndpoint(url, token, "test", "test", caFile))) { BaseAddress = url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static string LastLine(string text) => text.TrimEnd().Split('\n')[^1].Trim();

    [Fact]
    public async Task A_viewer_reads_but_cannot_deploy_and_the_refusal_is_audited_over_https()
    {
        var (ca, cert, key) = ThrowawayPki();
        var operators = Path.Combine(_data, "operators");
        var addViewer = await Ogctl(null, null, "operator", "add", "bob", "--role", "viewer", "--file", operators);
        addViewer.Exit.Should().Be(0, addViewer.Err);
        var bobToken = LastLine(addViewer.Out);
        var addAdmin = await Ogctl(null, null, "operator", "add", "carol", "--role", "admin", "--file", operators);
        var carolToken = LastLine(addAdmin.Out);
        File.ReadAllText(operators).Should().NotContain(bobToken).And.NotContain(carolToken).And.Contain(OperatorDirectory.FormatHash(bobToken));
        (await Ogctl(null, null, "operator", "add", "bob", "--file", operators)).Err.Should().Contain("already has an operator named 'bob'");

        _coordinator = await CoordinatorNode.StartAsync(OgConfiguration.Build(NodeRole.Coordinator, null, $$"""
            og.tls.enabled = off # the operator API's HTTPS is under test here, not the Akka transport
            og.node { hostname = "127.0.0.1", port = 0, data-dir = {{JsonSerializer.Serialize(Path.Combine(_data, "coordinator"))}} }
            og.cluster.seed-nodes = []
            og.coordinator.api {
              url = "https://127.0.0.1:0", token = "{{AdminToken}}"
              operators-file = {{JsonSerializer.Serialize(operators)}}
              tls { certificate = {{JsonSerializer.Serialize(cert)}}, key = {{JsonSerializer.Serialize(key)}} }
            }
            """, "akka.loglevel = WARNING"), CoordinatorModules.Default); // the SQL read journal's own messages do not survive serialize-messages
        _coordinator.ApiUrl.Scheme.Should().Be("https");
        await _coordinator.WaitUntilUpAsync(TimeSpan.FromSeconds(60));
        var ledger = _coordinator.App.Services.GetRequiredService<ActorRegistry>().Get<OperationLedger>();
        await ledger.Ask<OperationLedgerView>(new GetOperations(), TimeSpan.FromSeconds(60));
        var api = _coordinator.ApiUrl.ToString();

        // ogctl over HTTPS: trusted with the site CA, refused with one sentence without it.
        var untrusted = await Ogctl(api, carolToken, "classroom", "list");
        untrusted.Exit.Should().Be(1);
        untrusted.Err.Should().Contain("presented a certificate ogctl does not trust");
        var defined = await Ogctl(api, carolToken, "--ca", ca, "classroom", "define", "aula1", "--network", "172.17.36.0/24");
        defined.Exit.Should().Be(0, defined.Err);
        (await Ogctl(api, bobToken, "--ca", ca, "classroom", "list")).Out.Should().Contain("aula1");

        // The viewer may read, not change: 403 with a sentence, from ogctl and from plain HTTP.
        var denied = await Ogctl(api, bobToken, "--ca", ca, "classroom", "define", "aula2", "--network", "172.17.37.0/24");
        denied.Exit.Should().Be(1);
        denied.Err.Trim().Should().Be("ogctl: Operator 'bob' is a viewer and may only read (lists, shows, audit, watch); POST /api/classrooms needs an admin.");
        using var bob = Https(_coordinator.ApiUrl, bobToken, ca);
        var deploy = await bob.PostAsJsonAsync("api/sessions", new { kind = "restore", scope = "aula1", partition = 1, image = "win11" });
        deploy.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await deploy.Content.ReadAsStringAsync()).Should().Contain("POST /api/sessions needs an admin");
        (await bob.GetAsync("api/classrooms")).StatusCode.Should().Be(HttpStatusCode.OK);
        using var stranger = Https(_coordinator.ApiUrl, "not-a-token-of-anyone", ca);
        (await stranger.GetAsync("api/classrooms")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        // Both refusals are in the audit, by bob, with what was asked.
        using var admin = Https(_coordinator.ApiUrl, AdminToken, ca);
        admin.Timeout = TimeSpan.FromSeconds(15);
        var refused = (await admin.GetFromJsonAsync<JsonElement[]>("api/audit"))!
            .Where(e => e.GetProperty("action").GetString() == "api request refused").ToList();
        refused.Select(e => e.GetProperty("by").GetString()).Should().Equal("bob", "bob");
        refused.Select(e => e.GetProperty("subject").GetString()).Should().AllBe("operator bob");
        refused[1].GetProperty("details").GetString().Should().Contain("POST /api/sessions needs an admin");
        (await admin.GetStringAsync("api/classrooms")).Should().NotContain("aula2");

        // A new operator in the file is taken without a restart; a removed one is refused.
        var addDave = await Ogctl(null, null, "operator", "add", "dave", "--role", "viewer", "--file", operators);
        (await Ogctl(api, LastLine(addDave.Out), "--ca", ca, "classroom", "list")).Exit.Should().Be(0);
        File.WriteAllLines(operators, File.ReadAllLines(operators).Where(l => !l.StartsWith("bob ")));
        (await bob.GetAsync("api/classrooms")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void Tokens_are_matched_by_hash_and_roles_decide_what_is_allowed()
    {
        var viewer = new ApiOperator("bob", OperatorRole.Viewer, OperatorDirectory.Hash("bob-secret"));
        var admin = new ApiOperator("alice", OperatorRole.Admin, OperatorDirectory.Hash("alice-secret"));
        var directory = new OperatorDirectory([admin, viewer]);
        directory.Authenticate("bob-secret").Should().Be(viewer);
        directory.Authenticate("alice-secret").Should().Be(admin);
        directory.Authenticate("bob-secre").Should().BeNull();
        directory.Authenticate(OperatorDirectory.FormatHash("bob-secret")).Should().BeNull("the stored hash is not a token");
        OperatorDirectory.Refusal(viewer, "GET", "/api/audit").Should().BeNull();
        OperatorDirectory.Refusal(viewer, "DELETE", "/api/images/x").Should().Contain("needs an admin");
        OperatorDirectory.Refusal(admin, "POST", "/api/sessions").Should().BeNull();

        var act = () => OperatorsFile.Parse(["bob viewer sha256:00"], "ops");
        act.Should().Throw<SettingsException>().WithMessage("ops line 1: the token hash must be sha256: and 64 hex digits*");
        act = () => OperatorsFile.Parse(["# c", $"bob root {OperatorDirectory.FormatHash("x")}"], "ops");
        act.Should().Throw<SettingsException>().WithMessage("ops line 2: the role must be admin or viewer, not 'root'.");
        OperatorsFile.Parse([$"bob viewer {OperatorDirectory.FormatHash("x")}  # the TA"], "ops").Single().Role.Should().Be(OperatorRole.Viewer);
        OgActors.Ctl.Commands.OperatorCommands.Hash("x").Should().Be(OperatorDirectory.FormatHash("x"));
    }
}
