using OgActors.Coordinator.Hosting;
using OgActors.Hosting;
using OgActors.Hosting.Configuration;

// og-coordinator [--config FILE] [--hostname H] [--port N] [--seed ADDR]... [--data DIR] [--api-url URL] [--token T] ...
return await NodeProgram.RunAsync("og-coordinator", NodeRole.Coordinator, args, async arguments =>
{
    await using var coordinator = await CoordinatorNode.StartAsync(arguments.Build());
    await NodeLifetime.RunUntilStoppedAsync(coordinator.App, coordinator.System);
});
