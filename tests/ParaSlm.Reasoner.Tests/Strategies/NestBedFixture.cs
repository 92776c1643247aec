using ParaSlm.Tests.Shared;

namespace ParaSlm.Reasoner.Tests.Strategies;

/// <summary>What the strategy fixtures share: one <see cref="NestBed"/> (one analyzer, one folder) for all of a fixture's
/// tests; a fixture's own one-time set-up may cut its nests from it.</summary>
public abstract class NestBedFixture : OneTimeResourceFixture<NestBed>
{
    protected NestBed Bed => Resource;

    protected override NestBed Create() => new();
}
