using System.Collections;
using OgActors.ClientNode.Hosting;
using OgActors.Coordinator.Hosting;
using OgActors.Coordinator.Persistence;
using OgActors.Hosting.Configuration;

namespace OgActors.Cluster.Tests;

/// <summary>The layered configuration: embedded hocon/ defaults, a site file, the environment, the command line.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _dir = Support.TestPaths.TempDir("config");

    private static Hashtable Env(params (string, string)[] vars)
    {
        var table = new Hashtable();
        foreach (var (k, v) in vars) table[k] = v;
        return table;
    }

    [Fact]
    public void Embedded_defaults_run_a_coordinator_with_no_file_at_all()
    {
        var config = NodeArguments.Parse(NodeRole.Coordinator, [], Env()).Build();
        var node = NodeSettings.From(config);
        node.Should().BeEquivalentTo(new { SystemName = "ogactors", Hostname = "127.0.0.1", BindHostname = "127.0.0.1", Port = 4053, DataDir = "/var/lib/ogactors" });
        node.SeedNodes.Should().BeEmpty();
        config.GetString("og.coordinator.api.url").Should().Be("http://127.0.0.1:5480");
        JournalSettings.From(config, node).Should().BeEquivalentTo(new { Provider = JournalProvider.Sqlite, SqliteFile = "/var/lib/ogactors/journal.db", ProviderName = "SQLite.MS", Wal = true });
    }

    [Fact]
    public void Command_line_beats_environment_beats_site_file_beats_embedded()
    {
        var site = Path.Combine(_dir, "site.hocon");
        File.WriteAllText(site, """
            og.node { hostname = "site-host", port = 5000, data-dir = "/site/data" }
            og.cluster.seed-nodes = ["akka.tcp://ogactors@site-seed:4053"]
            og.coordinator.api.token = "site-token"
            """);
        var args = NodeArguments.Parse(NodeRole.Coordinator, ["--config", site, "--port", "6000", "--seed", "akka.tcp://ogactors@a:1", "--seed=akka.tcp://ogactors@b:2"],
            Env(("OG_PORT", "5500"), ("OG_HOSTNAME", "env-host"), ("OG_API_TOKEN", "env-token")));
        var config = args.Build();
        var node = NodeSettings.From(config);
        node.Port.Should().Be(6000);                      // command line
        node.Hostname.Should().Be("env-host");            // environment over the file
        node.DataDir.Should().Be("/site/data");           // site file over embedded
        // TLS is on by default, so the seeds are read with its scheme (see PkiTests.Seed_nodes_are_read_with_the_scheme_of_the_transport).
        node.SeedNodes.Should().Equal("akka.ssl.tcp://ogactors@a:1", "akka.ssl.tcp://ogactors@b:2");
        CoordinatorSettings.From(config, node).ApiToken.Should().Be("env-token");
        config.GetString("akka.cluster.split-brain-resolver.active-strategy").Should().Be("keep-oldest", "embedded akka settings survive the layering");
    }

    [Fact]
    public void OG_CONFIG_and_set_reach_any_key()
    {
        var site = Path.Combine(_dir, "env-site.hocon");
        File.WriteAllText(site, "og.node.data-dir = \"/from/og-config\"");
        var config = NodeArguments.Parse(NodeRole.Repository, ["--set", "og.repository.http-url = \"http://0.0.0.0:9999\""], Env(("OG_CONFIG", site))).Build();
        config.GetString("og.node.data-dir").Should().Be("/from/og-config");
        config.GetString("og.repository.http-url").Should().Be("http://0.0.0.0:9999");
    }

    [Fact]
    public void A_client_reads_partitions_and_cache_from_the_command_line()
    {
        var config = NodeArguments.Parse(NodeRole.Client,
            ["--seed", "akka.tcp://ogactors@coord:4053", "--name", "pc42", "--partition", "1=/dev/sda1", "--partition", "2=/dev/sda2",
             "--cache", "/opt/cache", "--cache-capacity", "50GiB"], Env()).Build();
        var computer = ComputerSettings.From(config, NodeSettings.From(config));
        computer.Name.Should().Be("pc42");
        computer.Partitions.Should().Equal(new PartitionSetting(1, "/dev/sda1", null), new PartitionSetting(2, "/dev/sda2", null));
        computer.CacheCapacity.Should().Be(50L << 30);
        computer.CacheDir.Should().Be("/opt/cache");
        NodeSettings.From(config).Port.Should().Be(4054, "client.hocon's own default port");
    }

    [Theory]
    [InlineData(new[] { "--port", "http" }, "--port must be a whole number, got 'http'.")]
    [InlineData(new[] { "--port" }, "The option --port needs a value.")]
    [InlineData(new[] { "--frobnicate", "1" }, "Unknown option '--frobnicate'; run with --help to list the options.")]
    [InlineData(new[] { "--config", "/no/such/file.hocon" }, "The configuration file '/no/such/file.hocon' does not exist.")]
    [InlineData(new[] { "--seed", "coordinator:4053" }, "The seed node 'coordinator:4053' is not an address like akka.tcp://ogactors@host:4053.")]
    [InlineData(new[] { "--seed", "akka.tcp://other@h:4053" }, "The seed node 'akka.tcp://other@h:4053' names the system 'other', but this installation is 'ogactors'.")]
    [InlineData(new[] { "--journal", "oracle" }, "og.coordinator.journal.provider must be sqlite or postgresql, got 'oracle'.")]
    [InlineData(new[] { "--journal", "postgresql" }, "The journal is PostgreSQL but og.coordinator.journal.postgresql.connection-string is empty; set --journal-connection.")]
    [InlineData(new[] { "--api-url", "ftp://x" }, "og.coordinator.api.url must be an http:// address such as http://127.0.0.1:5480, got 'ftp://x'.")]
    public void Mistakes_are_refused_in_one_sentence(string[] args, string sentence)
    {
        var act = () =>
        {
            var config = NodeArguments.Parse(NodeRole.Coordinator, [.. args, "--data", _dir, "--token", "t"], Env()).Build();
            var node = NodeSettings.From(config);
            JournalSettings.From(config, node);
            CoordinatorSettings.From(config, node);
        };
        act.Should().Throw<SettingsException>().WithMessage(sentence);
    }

    [Fact]
    public void A_coordinator_without_a_token_makes_one_and_keeps_it()
    {
        var config = NodeArguments.Parse(NodeRole.Coordinator, ["--data", _dir], Env()).Build();
        var first = CoordinatorSettings.From(config, NodeSettings.From(config)).ApiToken;
        first.Should().MatchRegex("^[0-9a-f]{48}$");
        CoordinatorSettings.From(config, NodeSettings.From(config)).ApiToken.Should().Be(first);
        File.GetUnixFileMode(Path.Combine(_dir, "api-token")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Theory]
    [InlineData("1048576", 1L << 20)]
    [InlineData("512MiB", 512L << 20)]
    [InlineData("50 GiB", 50L << 30)]
    [InlineData("2G", 2L << 30)]
    public void Sizes_read_as_operators_write_them(string text, long bytes) => ByteSize.Parse(text, "size").Should().Be(bytes);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
