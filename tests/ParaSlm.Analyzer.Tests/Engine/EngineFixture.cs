namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// What the engine fixtures share: a fresh <see cref="EngineWorkspace"/> for every test (the engine writes its state, its
/// copies and its report into the project's folder, so no test may see another's), deleted after it.
/// </summary>
public abstract class EngineFixture
{
    protected EngineWorkspace Ws { get; private set; } = null!;

    [SetUp]
    public void CreateWorkspace() => Ws = new EngineWorkspace();

    [TearDown]
    public void DeleteWorkspace() => Ws.Dispose();
}
