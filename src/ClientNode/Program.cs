using OgActors.ClientNode.Jobs;
using Microsoft.Extensions.Hosting;
using OgActors.ClientNode.Hosting;
using OgActors.Hosting;
using OgActors.Hosting.Configuration;

// og-client [--config FILE] --seed akka.tcp://ogactors@COORDINATOR:4053 [--name PC] [--partition 1=/dev/sda1]... [--cache DIR --cache-capacity SIZE]
return await NodeProgram.RunAsync("og-client", NodeRole.Client, args, async arguments =>
{
    // A node the coordinator quarantined (it was frozen or cut off too long) can never talk to it again: it stops and
    // starts a new incarnation, which registers afresh (and is sent its job again), instead of hanging forever.
    while (true)
    {
        await using var client = await ClientNodeHost.StartAsync(arguments.Build(), [JobRunnerSetup.Configurator(announce: true)]);
        var quarantine = QuarantineWatch.Start(client.System);
        var stopped = NodeLifetime.RunUntilStoppedAsync(client.Host, client.System);
        if (await Task.WhenAny(stopped, quarantine.Quarantined) == stopped) { await stopped; return; }
        Console.Error.WriteLine($"og-client: {await quarantine.Quarantined}; starting a new incarnation.");
        await client.StopAsync(unregister: false); // the coordinator cannot hear this incarnation any more
        await stopped;
    }
});
