namespace ParaSlm.Reasoner.Tests.Cache;

/// <summary>
/// What the cache fixtures share: for every test a fresh folder (<see cref="CacheTestData.TempDir"/>), the path of a
/// SQLite cache file in it (not created) and a collector of the diagnostics the cache reports; the folder is deleted after it.
/// </summary>
public abstract class CacheFolderFixture
{
    // `private protected`: the collector is internal to the test assembly, the fixtures deriving from this are public.
    private protected string Dir { get; private set; } = null!;

    private protected string Db { get; private set; } = null!;

    private protected Warnings Warnings { get; private set; } = null!;

    [SetUp]
    public void CreateFolder()
    {
        Dir = CacheTestData.TempDir();
        Db = Path.Combine(Dir, "plans.db");
        Warnings = new Warnings();
    }

    [TearDown]
    public void DeleteFolder() => CacheTestData.Delete(Dir);
}
