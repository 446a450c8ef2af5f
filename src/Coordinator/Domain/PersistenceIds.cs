namespace OgActors.Coordinator.Domain;

/// <summary>The journal's persistence ids of the domain entities; their prefixes let listings find them.</summary>
public static class PersistenceIds
{
    public const string ClassroomPrefix = "classroom-";
    public const string ImagePrefix = "image-";
    public const string SessionPrefix = "session-";

    public static string Classroom(string name) => ClassroomPrefix + name.ToLowerInvariant();
    public static string Image(string canonical) => ImagePrefix + canonical;
    public static string Session(string id) => SessionPrefix + id;
}
