using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OgActors.ClientNode.Hosting;

namespace OgActors.ClientNode.Jobs;

/// <summary>ActorRegistry key of the computer's job runner (<c>/user/computer-jobs</c>).</summary>
public sealed class JobRunner;

/// <summary>
/// Attaches the job runner to a client node: one configurator for <see cref="ClientNodeHost.Create"/> (or the lab's
/// <c>LabOptions.ClientConfigurators</c>). It creates <c>/user/computer-jobs</c> next to the computer agent, with the
/// computer's partitions and cache. The coordinators learn of it either through the computer agent (the registry's
/// presence bridge announces the agent, which forwards job messages here) or, with <c>announce: true</c>, because the
/// runner announces itself through the node's ClusterClient.
/// </summary>
public static class JobRunnerSetup
{
    public const string ActorName = "computer-jobs";

    /// <summary>The runner's path on every client node, for an agent that forwards <c>IJobMessage</c>s to it.</summary>
    public const string ActorPath = "/user/" + ActorName;

    /// <summary>
    /// The configurator. <paramref name="repositoryAddress"/> says where a repository's unicast service is (name → base URL);
    /// when null, <see cref="RepositoryAddresses.From"/> reads <c>og.computer.repositories</c> from the node's configuration.
    /// </summary>
    public static Action<AkkaConfigurationBuilder, IServiceProvider> Configurator(Func<string, Uri?>? repositoryAddress = null, bool announce = false) =>
        (akka, services) => akka.WithActors((system, registry) =>
        {
            var computer = services.GetRequiredService<ComputerSettings>();
            var config = services.GetRequiredService<Config>();
            var addresses = repositoryAddress ?? RepositoryAddresses.From(config);
            var settings = JobRunnerSettings.For(computer, addresses) with
            {
                ClusterClient = announce ? registry.Get<CoordinatorClient>() : null,
                Coordinators = registry.TryGet<CoordinatorClient>(out var client) ? client : null,
                CoordinatorContacts = [.. services.GetRequiredService<OgActors.Hosting.Configuration.NodeSettings>().SeedNodes
                    .Select(s => Akka.Actor.ActorPath.Parse(s.TrimEnd('/') + "/system/receptionist"))],
                Ledger = Computer.PartitionLedger.For(services.GetRequiredService<OgActors.Hosting.Configuration.NodeSettings>()),
                StallTimeout = StallTimeout(config),
                // With TLS on (every real computer), only job orders a coordinator signed are obeyed.
                Orders = OgActors.Hosting.Tls.JobOrderVerifier.From(OgActors.Hosting.Tls.TlsSettings.From(config)),
            };
            registry.Register<JobRunner>(system.ActorOf(JobRunnerActor.Props(settings), ActorName));
        });

    /// <summary><c>og.computer.stall-timeout</c>: how long a download waits for its next byte before its repository counts as gone (30 s; at least 1 s).</summary>
    public static TimeSpan StallTimeout(Config config)
    {
        var timeout = config.GetTimeSpan("og.computer.stall-timeout", TimeSpan.FromSeconds(30));
        return timeout < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : timeout;
    }
}

/// <summary>Where repositories' unicast services are, from configuration: <c>og.computer.repositories { repo1 = "http://10.0.0.5:8070" }</c>.</summary>
public static class RepositoryAddresses
{
    public static Func<string, Uri?> From(Config config)
    {
        var map = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);
        if (config.HasPath("og.computer.repositories"))
            foreach (var (name, value) in config.GetConfig("og.computer.repositories").AsEnumerable())
                if (Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri)) map[name.Trim('"')] = WithSlash(uri);
        return name => map.GetValueOrDefault(name)
                       ?? (Uri.TryCreate(name, UriKind.Absolute, out var direct) && direct.Scheme is "http" or "https" ? WithSlash(direct) : null);
    }

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
