using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OgActors.Coordinator.Hosting;

namespace OgActors.Coordinator.Api;

/// <summary>
/// The composition of the operator HTTP API: everything lives under <c>/api</c>, behind the bearer token; each module
/// maps its routes on that group (cluster, computers, and the domain palettes later). Unknown routes and failures
/// answer JSON sentences too.
/// </summary>
public static class OperatorApi
{
    public static void Map(WebApplication app, CoordinatorSettings settings, IEnumerable<ICoordinatorModule> modules)
    {
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            var failure = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var (status, sentence) = failure switch
            {
                BadHttpRequestException bad => (bad.StatusCode, $"The request is not valid: {bad.Message}"),
                Akka.Actor.AskTimeoutException => (StatusCodes.Status503ServiceUnavailable, "The cluster did not answer in time; try again."),
                _ => (StatusCodes.Status500InternalServerError, $"The coordinator failed: {failure?.Message}"),
            };
            await ApiError.Result(status, sentence).ExecuteAsync(context);
        }));
        var log = app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("og-api");
        var operators = settings.OperatorsFilePath.Length > 0 ? new OperatorsFile(settings.OperatorsFilePath) : null;
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"),
            api => api.Use(ApiAuth.Middleware(settings.ConfiguredOperators, operators, log)));

        var group = app.MapGroup("/api");
        foreach (var module in modules) module.MapEndpoints(group);
        group.MapFallback((HttpContext c) => ApiError.Result(StatusCodes.Status404NotFound, $"There is no API route {c.Request.Method} {c.Request.Path}."));
    }
}
