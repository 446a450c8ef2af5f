using OgActors.Hosting;
using OgActors.Hosting.Configuration;
using OgActors.RepositoryNode.Hosting;

// og-repository [--config FILE] --seed akka.tcp://ogactors@COORDINATOR:4053 [--hostname H] [--port N] [--images DIR] ...
return await NodeProgram.RunAsync("og-repository", NodeRole.Repository, args, async arguments =>
{
    await using var repository = await RepositoryNodeHost.StartAsync(arguments.Build());
    await NodeLifetime.RunUntilStoppedAsync(repository.App, repository.System);
});
