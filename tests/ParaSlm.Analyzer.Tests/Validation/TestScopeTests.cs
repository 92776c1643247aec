using ParaSlm.Validation;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>Which programs a test command runs is known only when it names them through `{exe…}` and nothing else could run another.</summary>
[TestFixture]
[Category("Unit")]
public sealed class TestScopeTests
{
    private static readonly IReadOnlyList<(string Name, string RelativePath)> Executables = [("app", "app"), ("other", "bin/other")];

    private static readonly Dictionary<string, IReadOnlyList<string>> Sources = new()
    {
        ["app"] = ["/src/main.c", "/src/kernels.c"],
        ["other"] = ["/src/other.c"],
    };

    [TestCase("{exe:app}", "app")]
    [TestCase("{exe:app} 2>&1", "app")]
    [TestCase("{exe:app} 30 && {exe:other} -s 4", "app,other")]
    [TestCase("{exe:app} | grep -c result", "app")]
    public void A_command_that_names_its_programs_through_placeholders_runs_those(string command, string programs)
    {
        var scope = TestScope.ForCommand(command, Path.GetTempPath(), Executables, Sources);
        Assert.That(scope.Known, Is.True, scope.Why);
        Assert.That(string.Join(",", scope.Programs), Is.EqualTo(programs));
        Assert.That(scope.Holds("/src/kernels.c"), Is.True);
        Assert.That(scope.Holds("/src/other.c"), Is.EqualTo(programs.Contains("other")));
    }

    [TestCase("{build}/app", "{build}")]
    [TestCase("sh {source}/run.sh", "{source}")]
    [TestCase("{exe:app} && ./bin/other", "path './bin/other'")]
    [TestCase("{exe:app}; other", "'other', a file of the build")]
    [TestCase("$PARASLM_BUILD_DIR/app", "shell variable")]
    [TestCase("{exe:nosuch}", "lists no sources for nosuch")]
    [TestCase("echo hi", "runs no program")]
    public void A_command_that_could_run_something_else_keeps_every_loop_blameable(string command, string why)
    {
        var scope = TestScope.ForCommand(command, Path.GetTempPath(), Executables, Sources);
        Assert.That(scope.Known, Is.False);
        Assert.That(scope.Holds("/src/other.c"), Is.True, "not known: every loop may be blamed");
        Assert.That(scope.Why, Does.Contain(why));
    }

    [Test]
    public void A_ctest_test_runs_the_executable_its_command_starts_with()
    {
        var build = Path.Combine(Path.GetTempPath(), "tree");
        var test = new TestCase("t1", Path.Combine(build, "bin", "other"), ["--quick"], build, new Dictionary<string, string?>());
        Assert.That(TestScope.ForCTest(test, build, Executables, Sources).Programs, Is.EqualTo(new[] { "other" }));
        var script = test with { FileName = "/usr/bin/python3", Arguments = ["check.py"] };
        Assert.That(TestScope.ForCTest(script, build, Executables, Sources).Known, Is.False);
    }
}
