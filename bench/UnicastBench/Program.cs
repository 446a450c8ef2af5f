// Serves one images directory the way a repository node does (RepositoryActor + unicast endpoints on Kestrel),
// prints "ready <url>" once every NAME.img in it is incorporated, and runs until SIGTERM/SIGINT.
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OgActors.Hosting.Serialization;
using OgActors.Messages.Repositories;
using OgActors.RepositoryNode;
using OgActors.RepositoryNode.Catalog;
using OgActors.RepositoryNode.Incorporation;
using OgActors.RepositoryNode.Unicast;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: og-unicast-bench IMAGES_DIR PORT");
    return 2;
}
var images = Path.GetFullPath(args[0]);
var url = $"http://127.0.0.1:{args[1]}";

var system = ActorSystem.Create("bench", ConfigurationFactory.ParseString("""
    akka.loglevel = WARNING
    akka.actor.provider = cluster
    akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
    """).WithFallback(ConfigurationFactory.ParseString(SerializationSetup.Hocon)));
var cluster = Cluster.Get(system);
var up = new TaskCompletionSource();
cluster.RegisterOnMemberUp(() => up.TrySetResult());
cluster.Join(cluster.SelfAddress);
await up.Task;

var view = new CatalogView(images);
var settings = new RepositoryActorSettings { Name = "bench", ImagesDirectory = images, HttpAddress = url, SettleTime = TimeSpan.FromMilliseconds(200) };
system.ActorOf(RepositoryActor.Props(settings, DistributedPubSub.Get(system).Mediator, view), "repository");

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls(url);
builder.Logging.ClearProviders();
// As the repository host runs it; OG_BENCH_RESPONSE_BUFFER_KB overrides the response buffer to compare.
builder.WebHost.ConfigureKestrel(k =>
{
    k.ConfigureForUnicast();
    if (int.TryParse(Environment.GetEnvironmentVariable("OG_BENCH_RESPONSE_BUFFER_KB"), out var kb)) k.Limits.MaxResponseBufferSize = kb * 1024L;
});
var app = builder.Build();
app.MapUnicastService(view);
await app.StartAsync();

var expected = ImagesDirectoryScan.ImageFiles(images).Count;
while (view.Entries.Values.Count(e => e.State is ImageFileState.Ready or ImageFileState.Error) < expected) await Task.Delay(100);
var stop = new TaskCompletionSource();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
Console.WriteLine($"ready {url}");
await stop.Task;
await app.StopAsync();
await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
return 0;
