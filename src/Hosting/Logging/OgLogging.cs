using Akka.Hosting;
using Microsoft.Extensions.Logging;

namespace OgActors.Hosting.Logging;

/// <summary>One logging setup for every host: Akka logs go through Microsoft.Extensions.Logging, one line each.</summary>
public static class OgLogging
{
    public static void Configure(ILoggingBuilder logging, string node)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.IncludeScopes = false;
        });
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("System.Net.Http", LogLevel.Warning);
        logging.AddFilter("LinqToDB", LogLevel.Warning);
        var level = Environment.GetEnvironmentVariable("OG_LOG_LEVEL");
        if (Enum.TryParse<LogLevel>(level, true, out var min)) logging.SetMinimumLevel(min);
    }

    public static AkkaConfigurationBuilder WithOgLogging(this AkkaConfigurationBuilder akka) =>
        akka.ConfigureLoggers(loggers =>
        {
            loggers.ClearLoggers();
            loggers.AddLoggerFactory();
        });
}
