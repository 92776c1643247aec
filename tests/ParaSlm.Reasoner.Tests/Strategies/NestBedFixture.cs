namespace ParaSlm.Reasoner.Tests.Strategies;

/// <summary>
/// What the strategy fixtures share: one <see cref="NestBed"/> (one analyzer, one folder) for all of a fixture's tests,
/// disposed after them. A fixture's own one-time set-up runs after this one's, so it may cut its nests there.
/// </summary>
public abstract class NestBedFixture
{
    protected NestBed Bed { get; private set; } = null!;

    [OneTimeSetUp]
    public void CreateNestBed() => Bed = new NestBed();

    [OneTimeTearDown]
    public void DisposeNestBed() => Bed.Dispose();
}
