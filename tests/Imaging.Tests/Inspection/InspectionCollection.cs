using OgActors.Imaging.Tests.Fixtures;

namespace OgActors.Imaging.Tests.Inspection;

/// <summary>Test classes sharing one set of real images (made once by <see cref="InspectionImages"/>).</summary>
[CollectionDefinition(Name)]
public sealed class InspectionCollection : ICollectionFixture<InspectionImages>
{
    public const string Name = "inspection images";
}
