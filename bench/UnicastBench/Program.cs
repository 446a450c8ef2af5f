// Serves one images directory the way a repository node does (RepositoryActor + unicast endpoints on Kestrel),
// prints "ready <url>" once every NAME.img in it is incorporated, and runs until stdin closes or it is killed.
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

using var system = ActorSystem.Create("bench", ConfigurationFactory.ParseString("""
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
var settings = new RepositorySettings { Name = "bench", ImagesDirectory = images, HttpAddress = url, SettleTime = TimeSpan.FromMilliseconds(200) };
system.ActorOf(RepositoryActor.Props(settings, DistributedPubSub.Get(system).Mediator, view), "repository");

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls(url);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapUnicastService(view);
await app.StartAsync();

var expected = ImagesDirectoryScan.ImageFiles(images).Count;
while (view.Entries.Values.Count(e => e.State is ImageFileState.Ready or ImageFileState.Error) < expected) await Task.Delay(100);
Console.WriteLine($"ready {url}");
await Console.In.ReadToEndAsync();
await app.StopAsync();
return 0;
