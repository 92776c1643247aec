using ParaSlm.Cli;
using ParaSlm.Evaluation.Projects;
using ParaSlm.Tests.Shared;

namespace ParaSlm.Analyzer.Tests.Evaluation;

/// <summary>
/// `paraslm-suite.json`, the description of a project suite: what it means when right, and that every mistake is a
/// usage error (exit 2) naming the file, the place in it and what to write.
/// </summary>
[TestFixture]
public sealed class SuiteConfigReaderTests : TempFolderFixture
{
    [SetUp]
    public void WriteProject() => File.WriteAllText(Path.Combine(Dir, "CMakeLists.txt"), "project(x C)\n");

    private string Write(string json)
    {
        var f = Path.Combine(Dir, SuiteConfigReader.DefaultFileName);
        File.WriteAllText(f, json);
        return f;
    }

    private SuiteConfigException Fails(string json) => Assert.Throws<SuiteConfigException>(() => SuiteConfigReader.Load(Write(json)))!;

    [Test]
    public void A_description_gives_programs_with_their_defaults_and_overrides()
    {
        File.WriteAllText(Path.Combine(Dir, "app.proj"), "<Project Sdk=\"Microsoft.Build.NoTargets/3.7.0\"><Sdk Name=\"ParaSlm.Sdk\" Version=\"0.1.0\" /></Project>");
        var c = SuiteConfigReader.Load(Write("""
            {
              // comments are allowed
              "name": "demo",
              "cmakeArgs": ["-DSIZE=LARGE", "-DUSE_X:BOOL=ON", "-DLIST=a;b"],
              "cFlags": "-DTIMING",
              "env": { "SEED": "1" },
              "time": { "regex": "took (?<time>[0-9.]+) ms", "unit": "ms" },
              "compare": { "streams": ["stderr"], "how": "numbers", "ignore": ["^address"] },
              "programs": [
                "solver",
                { "name": "big", "exe": "bin/solver", "args": ["-n", 100], "env": { "MODE": "fast" }, "time": "wall",
                  "compare": { "files": ["out.txt"], "streams": [] } }
              ],
            }
            """));
        Assert.That(c.Name, Is.EqualTo("demo"));
        Assert.That(c.Source, Is.EqualTo(Dir));
        Assert.That(c.Project, Is.EqualTo(Path.Combine(Dir, "app.proj")), "the one project using ParaSlm.Sdk beside CMakeLists.txt");
        Assert.That(c.CacheEntries, Is.EqualTo(new[] { new CacheEntry("SIZE", "STRING", "LARGE"), new CacheEntry("USE_X", "BOOL", "ON"), new CacheEntry("LIST", "STRING", "a;b") }));
        Assert.That(c.CFlags, Is.EqualTo("-DTIMING"));

        var solver = c.Programs[0];
        Assert.That((solver.Name, solver.Exe), Is.EqualTo(("solver", "solver")));
        Assert.That(solver.Time.Scale, Is.EqualTo(1e-3));
        Assert.That(solver.Compare.Streams, Is.EqualTo(new[] { "stderr" }));
        Assert.That(solver.Compare.Numbers, Is.True);
        Assert.That(solver.Environment["SEED"], Is.EqualTo("1"));

        var big = c.Programs[1];
        Assert.That((big.Name, big.Exe), Is.EqualTo(("big", "bin/solver")));
        Assert.That(big.Args, Is.EqualTo(new[] { "-n", "100" }));
        Assert.That(big.Time.Regex, Is.Null, "\"wall\": the process's wall time");
        Assert.That(big.Compare.Files, Is.EqualTo(new[] { "out.txt" }));
        Assert.That(big.Compare.Streams, Is.Empty);
        Assert.That(big.Compare.Numbers, Is.False, "a program's compare replaces the default one");
        Assert.That(big.Environment, Is.EquivalentTo(new Dictionary<string, string> { ["SEED"] = "1", ["MODE"] = "fast" }));
    }

    [Test]
    public void Without_time_and_compare_a_program_is_timed_by_wall_clock_and_its_stdout_must_be_the_same_text()
    {
        var p = SuiteConfigReader.Load(Write("""{ "programs": ["app"] }""")).Programs.Single();
        Assert.That(p.Time.Regex, Is.Null);
        Assert.That(p.Compare.Streams, Is.EqualTo(new[] { "stdout" }));
        Assert.That(p.Compare.Numbers, Is.False);
    }

    [TestCase("""{ "programs": ["a"], "progams": [] }""", "$: unknown key \"progams\"")]
    [TestCase("""{ "programs": [] }""", "$.programs: missing or empty")]
    [TestCase("""{ "programs": ["a", "a"] }""", "$.programs[1]: a second program named 'a'")]
    [TestCase("""{ "programs": [{ "args": ["x"] }] }""", "$.programs[0]: needs \"exe\"")]
    [TestCase("""{ "programs": [{ "exe": "a", "speed": 1 }] }""", "$.programs[0]: unknown key \"speed\"")]
    [TestCase("""{ "cmakeArgs": ["-G Ninja"], "programs": ["a"] }""", "$.cmakeArgs[0]: '-G Ninja' is not a -DNAME=VALUE")]
    [TestCase("""{ "time": { "regex": "(unclosed" }, "programs": ["a"] }""", "$.time.regex: not a valid regular expression")]
    [TestCase("""{ "time": { "regex": "t=(.*)", "unit": "min" }, "programs": ["a"] }""", "$.time.unit: 'min': one of s, ms, us, ns")]
    [TestCase("""{ "time": "cpu", "programs": ["a"] }""", "$.time: 'cpu': write \"wall\"")]
    [TestCase("""{ "compare": { "how": "fuzzy" }, "programs": ["a"] }""", "$.compare.how: 'fuzzy'")]
    [TestCase("""{ "compare": { "streams": ["stdlog"] }, "programs": ["a"] }""", "$.compare.streams: 'stdlog': one of stdout, stderr")]
    [TestCase("""{ "compare": { "tolerance": 1e-6 }, "programs": ["a"] }""", "$.compare.tolerance: a tolerance needs \"how\": \"numbers\"")]
    [TestCase("""{ "compare": { "how": "numbers", "tolerance": -1 }, "programs": ["a"] }""", "$.compare.tolerance: a relative tolerance")]
    [TestCase("""{ "args": "-n 5", "programs": ["a"] }""", "$.args: expected a list of strings, found a string")]
    [TestCase("""{ "source": "nowhere", "programs": ["a"] }""", "$.source: the folder")]
    [TestCase("""{ "project": "missing.proj", "programs": ["a"] }""", "$.project:")]
    [TestCase("""[ "a" ]""", "$: expected an object, found a list")]
    [TestCase("""{ "programs": ["a"] """, "not valid JSON")]
    public void A_wrong_description_says_where_and_what(string json, string message)
    {
        var e = Fails(json);
        Assert.That(e.Message, Does.StartWith(Path.Combine(Dir, SuiteConfigReader.DefaultFileName) + ": "));
        Assert.That(e.Message, Does.Contain(message));
    }

    [Test]
    public void A_folder_without_CMakeLists_is_not_a_project_suite()
    {
        File.Delete(Path.Combine(Dir, "CMakeLists.txt"));
        Assert.That(Fails("""{ "programs": ["a"] }""").Message, Does.Contain("has no CMakeLists.txt"));
    }

    [Test]
    public void A_bad_description_is_a_usage_error_of_evaluate_with_exit_code_2()
    {
        Write("""{ "programs": ["a"], "timing": "wall" }""");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CommandLine.RunAsync(["evaluate", "--suite", Dir, "--out", Path.Combine(Dir, "out")], stdout, stderr).GetAwaiter().GetResult();
        Assert.That(code, Is.EqualTo(CommandLine.UsageError));
        Assert.That(stderr.ToString(), Does.Contain("unknown key \"timing\"").And.Contain(SuiteConfigReader.DefaultFileName));
        Assert.That(Directory.Exists(Path.Combine(Dir, "out")), Is.False, "nothing was built");
    }

    [Test]
    public void Asking_for_ParaSlm_builds_of_a_project_without_an_SDK_project_is_a_usage_error_that_says_what_to_add()
    {
        Write("""{ "programs": ["a"] }""");
        var stderr = new StringWriter();
        var code = CommandLine.RunAsync(["evaluate", "--suite", Dir, "--out", Path.Combine(Dir, "out"), "--variants", "paraslm-gcc"], new StringWriter(), stderr)
            .GetAwaiter().GetResult();
        Assert.That(code, Is.EqualTo(CommandLine.UsageError));
        Assert.That(stderr.ToString(), Does.Contain("no MSBuild project using ParaSlm.Sdk").And.Contain("app.proj"));
    }

    [Test]
    public void Expert_variants_and_unknown_programs_are_usage_errors_in_a_project_suite()
    {
        Write("""{ "programs": ["a"] }""");
        int Run(params string[] extra)
        {
            var err = new StringWriter();
            var code = CommandLine.RunAsync(["evaluate", "--suite", Dir, "--out", Path.Combine(Dir, "out"), .. extra], new StringWriter(), err).GetAwaiter().GetResult();
            TestContext.Out.WriteLine(err);
            return code;
        }
        Assert.That(Run("--variants", "expert-gcc"), Is.EqualTo(CommandLine.UsageError));
        Assert.That(Run("--kernels", "b"), Is.EqualTo(CommandLine.UsageError));
        Assert.That(Run("--scaling"), Is.EqualTo(CommandLine.UsageError));
    }
}
