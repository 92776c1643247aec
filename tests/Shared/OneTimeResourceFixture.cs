namespace ParaSlm.Tests.Shared;

/// <summary>
/// One <typeparamref name="T"/> (an analyzer holding a libclang index, a folder of nests) for all of a fixture's tests:
/// made by <see cref="Create"/> before them, disposed after them. A fixture's own one-time set-up runs after this one's,
/// so it may use the resource there. Linked into each test project that uses it.
/// </summary>
public abstract class OneTimeResourceFixture<T> where T : class, IDisposable
{
    private T? _resource;

    /// <summary>The fixture's resource, from its one-time set-up on.</summary>
    protected T Resource => _resource ?? throw new InvalidOperationException("the fixture's one-time set-up has not run");

    /// <summary>Makes the resource (once per fixture).</summary>
    protected abstract T Create();

    [OneTimeSetUp]
    public void CreateResource() => _resource = Create();

    [OneTimeTearDown]
    public void DisposeResource() => _resource?.Dispose();
}
