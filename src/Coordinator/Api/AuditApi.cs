using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OgActors.Coordinator.Audit;
using OgActors.Coordinator.Domain;

namespace OgActors.Coordinator.Api;

/// <summary>
/// The audit palette: <c>GET /audit?image=&amp;classroom=&amp;computer=&amp;repo=&amp;since=</c> replays the journal as a timeline
/// (JSON array); with <c>follow=true</c> it streams the timeline and then every new event live (NDJSON).
/// </summary>
public static class AuditApi
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/audit", async (CoordinatorDomain d, HttpContext http, string? image, string? classroom, string? computer, string? since,
            bool? follow, string? repo) =>
        {
            DateTimeOffset? from = null;
            if (!string.IsNullOrEmpty(since))
            {
                if (!DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
                { await DomainApi.Error(400, $"The time '{since}' is not a date and time such as 2026-11-24T17:00:00Z.").ExecuteAsync(http); return; }
                from = parsed;
            }
            var filter = new AuditFilter(NullIfEmpty(image), NullIfEmpty(classroom), NullIfEmpty(computer), from, NullIfEmpty(repo));
            if (follow != true)
            {
                // streamed as the journal is read; a read that fails midway cuts the answer off (never a valid-looking part)
                http.Response.ContentType = "application/json; charset=utf-8";
                try { await d.Audit.WriteJsonAsync(filter, http.Response.Body, DomainApi.Json, http.RequestAborted); }
                catch (OperationCanceledException) { }
                catch (Exception e) when (!http.Response.HasStarted)
                {
                    await DomainApi.Error(503, $"The audit could not be read from the journal: {e.Message}").ExecuteAsync(http);
                }
                catch (Exception) { http.Abort(); }
                return;
            }
            http.Response.ContentType = "application/x-ndjson";
            await http.Response.Body.FlushAsync(http.RequestAborted);
            var (stop, done) = d.Audit.Follow(filter)
                .ViaMaterialized(KillSwitches.Single<Messages.Audit.AuditEntry>(), Keep.Right)
                .SelectAsync(1, async entry => { await DomainApi.WriteLineAsync(http.Response, entry, http.RequestAborted); return entry; })
                .ToMaterialized(Sink.Ignore<Messages.Audit.AuditEntry>(), Keep.Both)
                .Run(d.System.Materializer());
            await using var _ = http.RequestAborted.Register(() => stop.Shutdown()); // the operator pressed Ctrl-C
            try { await done; }
            catch (OperationCanceledException) { }
        });

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
