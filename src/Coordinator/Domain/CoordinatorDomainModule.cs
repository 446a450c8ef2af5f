using Akka.Hosting;
using Akka.Persistence.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OgActors.Coordinator.Api;
using OgActors.Coordinator.Hosting;
using OgActors.Coordinator.Sessions;

namespace OgActors.Coordinator.Domain;

/// <summary>The coordinator's domain as a module: classrooms, images, sessions, audit (entities, API palettes, audit tagging).</summary>
public sealed class CoordinatorDomainModule(SessionSettings? sessions = null) : ICoordinatorModule
{
    public void ConfigureServices(IServiceCollection services) => services.AddCoordinatorDomainServices();
    public void ConfigureAkka(AkkaConfigurationBuilder akka, IServiceProvider services) => akka.AddCoordinatorDomain(sessions);
    public void ConfigureJournal(AkkaPersistenceJournalBuilder journal) => CoordinatorDomainSetup.AddAuditTagging(journal);
    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapCoordinatorDomainApi();
}
