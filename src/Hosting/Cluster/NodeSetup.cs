using Akka.Cluster.Hosting;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote.Hosting;
using OgActors.Hosting.Configuration;
using OgActors.Hosting.Logging;
using OgActors.Hosting.Serialization;
using OgActors.Hosting.Tls;

namespace OgActors.Hosting.Cluster;

/// <summary>The Akka.Hosting steps every node shares: its HOCON layers, Akka.Remote, our serializer, and for members the cluster.</summary>
public static class NodeSetup
{
    /// <summary>
    /// Loads the layered configuration (the <c>akka</c> section tunes failure detectors and the split-brain resolver),
    /// Akka.Remote on the node's address (with mutual TLS unless og.tls.enabled is off, see <see cref="TlsSettings"/>),
    /// and the OgActors serializer. Enough for a client node.
    /// </summary>
    public static AkkaConfigurationBuilder WithOgNode(this AkkaConfigurationBuilder builder, Config config, NodeSettings node)
    {
        builder.AddHocon(config, HoconAddMode.Prepend);
        var tls = TlsSettings.From(config);
        builder.WithRemoting(new RemoteOptions
        {
            HostName = node.BindHostname,
            PublicHostName = node.Hostname,
            Port = node.Port,
            EnableSsl = tls.Enabled,
            Ssl = tls.Enabled
                ? new SslOptions
                {
                    X509Certificate = tls.Certificate,
                    SuppressValidation = false,
                    RequireMutualAuthentication = true,
                    // Nodes are reached by IP as often as by name; the CA and the role are what identify a peer.
                    ValidateCertificateHostname = false,
                    CustomValidator = tls.Validate,
                }
                : null,
        });
        return builder.WithOgSerialization().WithOgLogging();
    }

    /// <summary>
    /// Makes the node a cluster member with <paramref name="role"/>, joining through the configured seed nodes.
    /// The split-brain resolver comes from the HOCON layers (keep-oldest on role coordinator, see coordinator.hocon).
    /// A node without seed nodes founds the cluster by joining itself.
    /// </summary>
    public static AkkaConfigurationBuilder WithOgCluster(this AkkaConfigurationBuilder builder, NodeSettings node, string role, Config? config = null)
    {
        // With TLS, every member proves its server certificate to the coordinators (see MembershipGuard).
        var tls = config is null ? TlsSettings.Off : TlsSettings.From(config);
        if (tls.Enabled)
            builder.WithActors((system, _) =>
            {
                system.ActorOf(MembershipProofResponder.Props(tls.Certificate!), MembershipProofResponder.Name);
                if (role == NodeRoles.Coordinator)
                    system.ActorOf(MembershipGuard.Props(tls.Check!.SiteCa,
                        config!.GetTimeSpan("og.tls.membership-proof-timeout", TimeSpan.FromSeconds(15))), "membership-guard");
            });
        builder.WithClustering(new ClusterOptions
        {
            Roles = [role],
            SeedNodes = node.SeedNodes.Count > 0 ? [.. node.SeedNodes] : null,
        });
        builder.WithDistributedPubSub(role: "");
        if (node.SeedNodes.Count == 0)
            builder.AddStartup((system, _) =>
            {
                var cluster = Akka.Cluster.Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            });
        return builder;
    }
}
