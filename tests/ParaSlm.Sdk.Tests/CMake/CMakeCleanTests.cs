using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.CMake;

[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class CMakeCleanTests
{
    [Test]
    public void Clean_RemovesEverythingParaSlmGenerated_AndNothingOfTheUsers()
    {
        var app = new CMakeApp(SdkWorkspace.Shared, "clean");
        var user = app.HashUserFiles();
        app.Build().ShouldSucceed();
        Assert.That(Path.Combine(app.IntermediateDir, "src"), Does.Exist);
        Assert.That(app.ParallelTree, Does.Exist);

        app.Workspace.Dotnet(app.Directory, "clean", app.Project, "-nodeReuse:false", "-v:n", "-tl:off").ShouldSucceed();

        Assert.Multiple(() =>
        {
            Assert.That(Path.Combine(app.Directory, "build"), Does.Not.Exist, "the CMake trees ParaSlm created (and build/, which it created for them)");
            Assert.That(app.IntermediateDir, Does.Not.Exist, "rewritten sources, request, state, report");
            var leftovers = Directory.EnumerateFiles(app.Directory, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(app.Directory, f).Replace('\\', '/'))
                .Where(f => f.Contains("paraslm", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".cmake", StringComparison.Ordinal))
                .ToList();
            Assert.That(leftovers, Is.Empty);
            Assert.That(app.HashUserFiles(), Is.EqualTo(user));
        });
    }

    [Test]
    public void Clean_KeepsABuildFolderTheUserPointedParaSlmAt()
    {
        var app = new CMakeApp(SdkWorkspace.Shared, "clean-own");
        var own = Path.Combine(app.Directory, "mybuild");
        Directory.CreateDirectory(own);
        File.WriteAllText(Path.Combine(own, "keep.txt"), "the user's file");
        app.Build("-p:ParaSlmCMakeBuildDir=mybuild").ShouldSucceed();
        Assert.That(Path.Combine(own, "app"), Does.Exist);

        app.Workspace.Dotnet(app.Directory, "clean", app.Project, "-nodeReuse:false", "-v:n", "-tl:off", "-p:ParaSlmCMakeBuildDir=mybuild").ShouldSucceed();

        Assert.That(Path.Combine(own, "keep.txt"), Does.Exist, "a folder ParaSlm did not create is never deleted");
        Assert.That(app.SerialTree, Does.Not.Exist);
    }
}
