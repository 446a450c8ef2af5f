using OgActors.Messages.Audit;
using OgActors.Messages.Classrooms;
using OgActors.Messages.Images;
using OgActors.Messages.Sessions;

namespace OgActors.Coordinator.Audit;

/// <summary>The journal tags of an audited event: "audit" plus what it concerns (classroom:, image:, computer:, session:, repository:, operations).</summary>
public static class AuditTags
{
    public const string All = "audit";

    public static string Classroom(string name) => "classroom:" + name.ToLowerInvariant();
    public static string Image(string canonical) => "image:" + canonical;
    public static string Computer(string name) => "computer:" + name.ToLowerInvariant();
    public static string Session(string id) => "session:" + id;
    public static string Repository(string name) => "repository:" + name.ToLowerInvariant();

    /// <summary>The tag of every operator operation (cluster leave/down, imports, file deletions) of the operations ledger.</summary>
    public const string Operations = "operations";

    public static IReadOnlyList<string> Of(IAuditedEvent evt)
    {
        var tags = new List<string> { All };
        switch (evt)
        {
            case ComputerAdded e: tags.Add(Classroom(e.Classroom)); tags.Add(Computer(e.Computer)); break;
            case ComputerRemoved e: tags.Add(Classroom(e.Classroom)); tags.Add(Computer(e.Computer)); break;
            case PartitionImageRecorded e:
                tags.Add(Classroom(e.Classroom)); tags.Add(Computer(e.Computer)); tags.Add(Image(e.Image)); tags.Add(Session(e.SessionId));
                break;
            case IClassroomEvent e: tags.Add(Classroom(e.Classroom)); break;
            case IImageEvent e: tags.Add(Image(e.Canonical)); break;
            case SessionCreated e:
                tags.Add(Session(e.SessionId));
                if (e.Plan.Image.Length > 0) tags.Add(Image(e.Plan.Image));
                tags.AddRange(e.Plan.Targets.Select(t => Classroom(t.Classroom)).Distinct());
                tags.AddRange(e.Plan.Targets.Select(t => Computer(t.Computer)));
                break;
            case ComputerJobStarted e: tags.Add(Session(e.SessionId)); tags.Add(Computer(e.Computer)); break;
            case ComputerJobFinished e: tags.Add(Session(e.SessionId)); tags.Add(Computer(e.Computer)); break;
            case ISessionEvent e: tags.Add(Session(e.SessionId)); break;
            case OgActors.Messages.Computers.ComputerRegistrationRefused e: tags.Add(Computer(e.Name)); break;
            case OperationRecorded e:
                tags.Add(Operations);
                if (e.Repository.Length > 0) tags.Add(Repository(e.Repository));
                tags.AddRange(e.Images.Select(Image));
                break;
        }
        return tags;
    }
}
