namespace ParaSlm.Tests.Shared;

/// <summary>
/// What the fixtures that work in a folder of their own share: a new empty folder under the temp folder for every test
/// (<see cref="Dir"/>, named for the fixture), deleted after it whatever the test left there. A fixture's own set-up runs
/// after this one's, so it may fill the folder there. Linked into each test project that uses it.
/// </summary>
public abstract class TempFolderFixture
{
    protected string Dir { get; private set; } = null!;

    [SetUp]
    public void CreateFolder()
    {
        Dir = Path.Combine(Path.GetTempPath(), $"paraslm-{GetType().Name}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(Dir);
    }

    [TearDown]
    public void DeleteFolder()
    {
        // A folder a test's process still holds open is left behind rather than failing the test.
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
