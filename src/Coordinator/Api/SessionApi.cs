using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OgActors.Coordinator.Domain;
using OgActors.Coordinator.Sessions;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Api;

/// <summary>
/// The session palette: <c>POST /sessions</c> (create-image, restore, deploy, clone-remote — a <see cref="SessionRequest"/>),
/// <c>GET /sessions</c>, <c>GET /sessions/{id}</c>, <c>POST /sessions/{id}/cancel</c>, <c>GET /sessions/{id}/watch</c> (NDJSON: the session every half
/// second until it ends).
/// </summary>
public static class SessionApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/sessions", async (CoordinatorDomain d, HttpContext http) =>
        {
            var (request, error) = await DomainApi.BodyAsync<SessionRequest>(http);
            return error ?? DomainApi.Reply(await d.Planner.StartAsync(request!, DomainApi.Identity(http), http.RequestAborted));
        });

        api.MapGet("/sessions", async (CoordinatorDomain d, CancellationToken ct) =>
            Results.Json(await d.ListSessionsAsync(ct), DomainApi.Json));

        api.MapGet("/sessions/{id}", async (CoordinatorDomain d, string id, CancellationToken ct) =>
            DomainApi.Reply(await d.AskAsync(new GetSession(id), ct)));

        api.MapPost("/sessions/{id}/cancel", async (CoordinatorDomain d, string id, HttpContext http) =>
            DomainApi.Reply(await d.AskAsync(new CancelSession(id, DomainApi.Identity(http)), http.RequestAborted)));

        api.MapGet("/sessions/{id}/watch", async (CoordinatorDomain d, string id, HttpContext http) =>
        {
            var first = await d.AskAsync(new GetSession(id), http.RequestAborted);
            if (first is not SessionView view) { await DomainApi.Reply(first).ExecuteAsync(http); return; }
            http.Response.ContentType = "application/x-ndjson";
            try
            {
                while (true)
                {
                    await DomainApi.WriteLineAsync(http.Response, view, http.RequestAborted);
                    if (view.Outcome is not null) return;
                    await Task.Delay(500, http.RequestAborted);
                    view = await d.SessionAsync(id, http.RequestAborted) ?? view;
                }
            }
            catch (OperationCanceledException) { }
        });
    }
}
