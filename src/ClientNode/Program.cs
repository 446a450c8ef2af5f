using OgActors.ClientNode.Jobs;
using Microsoft.Extensions.Hosting;
using OgActors.ClientNode.Hosting;
using OgActors.Hosting;
using OgActors.Hosting.Configuration;

// og-client [--config FILE] --seed akka.tcp://ogactors@COORDINATOR:4053 [--name PC] [--partition 1=/dev/sda1]... [--cache DIR --cache-capacity SIZE]
return await NodeProgram.RunAsync("og-client", NodeRole.Client, args, async arguments =>
{
    await using var client = await ClientNodeHost.StartAsync(arguments.Build(), [JobRunnerSetup.Configurator(announce: true)]);
    await NodeLifetime.RunUntilStoppedAsync(client.Host, client.System);
});
