using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ParaSlm.Analyzer.Tests.Cli;

/// <summary>
/// The `paraslm analyze` contract (README, "The paraslm CLI") through the real built binary, run as a
/// process: the JSON schema and key order, loop ids and positions, the text explanation, and exit codes.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class AnalyzeCliTests
{
    private static readonly string[] TopLevelKeys = ["file", "loops"];

    private static readonly string[] LoopKeys =
        ["id", "line", "column", "function", "depth", "parallelizable", "reductions", "private", "lastprivate", "runtimeCheck", "reason"];

    /// <summary>Spaces, a tab, a nested loop, a reduction, a carried dependence and a runtime check.</summary>
    private const string CSource =
        "static double x[1000], y[1000];\n" +                         // 1
        "\n" +                                                        // 2
        "double kernels(double *out, const double *in, int n)\n" +    // 3
        "{\n" +                                                       // 4
        "    double s = 0.0;\n" +                                     // 5
        "    for (int i = 0; i < n; i++)\n" +                         // 6  spaces: column 5
        "        s += x[i];\n" +                                      // 7
        "\tfor (int i = 1; i < n; i++)\n" +                           // 8  tab: column 2
        "\t\tx[i] = x[i - 1] + y[i];\n" +                             // 9
        "    for (int i = 0; i < n; i++)\n" +                         // 10
        "        for (int j = 0; j < 1000; j++) { y[j] = 0.0; }\n" +  // 11 nested, inner at column 9
        "  for (int i = 0; i < n; i++) out[i] = in[i] * 2.0;\n" +     // 12
        "    return s;\n" +                                           // 13
        "}\n";

    private const string CppSource =
        "#include <vector>\n" +
        "double total(const std::vector<std::vector<double>>& rows)\n" +
        "{\n" +
        "    double s = 0.0;\n" +
        "    for (const auto& r : rows)\n" +
        "        for (double v : r)\n" +
        "            s += v;\n" +
        "    for (std::size_t i = 0; i < rows.size(); i++)\n" +
        "        for (std::size_t j = 0; j < rows[i].size(); j++) s += rows[i][j];\n" +
        "    return s;\n" +
        "}\n";

    private string _dir = null!;
    private string _binary = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _binary = LocateBinary();
        _dir = Path.Combine(Path.GetTempPath(), "paraslm-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    // ---- locating and running the binary ------------------------------------------------------------

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ParaSlm.Build.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (ParaSlm.Build.sln) not found above " + TestContext.CurrentContext.TestDirectory);
    }

    /// <summary>artifacts/bin/ParaSlm.Cli/&lt;the configuration these tests were built with&gt;/paraslm.</summary>
    private static string LocateBinary()
    {
        // The tests run from artifacts/bin/ParaSlm.Analyzer.Tests/<configuration>/.
        var configuration = new DirectoryInfo(TestContext.CurrentContext.TestDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)).Name;
        var folder = Path.Combine(RepositoryRoot(), "artifacts", "bin", "ParaSlm.Cli", configuration);
        var binary = Path.Combine(folder, OperatingSystem.IsWindows() ? "paraslm.exe" : "paraslm");
        Assert.That(File.Exists(binary), Is.True, $"the built CLI is expected at {binary} (run `dotnet build` first)");
        return binary;
    }

    private sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Stdout}{Environment.NewLine}stderr:{Environment.NewLine}{Stderr}";
    }

    private Result Run(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dir,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + _binary);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"paraslm {string.Join(' ', args)} did not finish within 60 s");
        }
        var r = new Result(p.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        TestContext.Out.WriteLine($"$ paraslm {string.Join(' ', args)}{Environment.NewLine}{r}");
        return r;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private (Result Result, JsonDocument Json, string File) AnalyzeJson(string name, string source, string std)
    {
        var file = Write(name, source);
        var r = Run(["analyze", file, "--json", "--", std]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        JsonDocument json;
        try { json = JsonDocument.Parse(r.Stdout); }
        catch (JsonException e) { throw new AssertionException("stdout is not exactly one JSON value: " + e.Message + Environment.NewLine + r); }
        Assert.That(json.RootElement.ValueKind, Is.EqualTo(JsonValueKind.Object), "stdout is one JSON object");
        return (r, json, file);
    }

    /// <summary>1-based line and column of every `for` keyword in the text (columns count bytes, a tab is one).</summary>
    private static List<(int Line, int Column)> ForKeywords(string source)
    {
        var list = new List<(int, int)>();
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
            foreach (Match m in Regex.Matches(lines[i], @"\bfor\s*\("))
                list.Add((i + 1, m.Index + 1));
        return list;
    }

    private static JsonElement LoopAt(JsonDocument json, int line, int column) =>
        json.RootElement.GetProperty("loops").EnumerateArray()
            .Single(l => l.GetProperty("line").GetInt32() == line && l.GetProperty("column").GetInt32() == column);

    // ---- JSON schema --------------------------------------------------------------------------------

    [Test]
    public void Json_output_is_one_object_whose_keys_are_exactly_file_and_loops()
    {
        var (r, json, file) = AnalyzeJson("schema.c", CSource, "-std=c11");
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(TopLevelKeys));
            Assert.That(json.RootElement.GetProperty("file").GetString(), Is.EqualTo(file));
            Assert.That(json.RootElement.GetProperty("loops").ValueKind, Is.EqualTo(JsonValueKind.Array));
            Assert.That(r.Stdout.Trim(), Does.StartWith("{").And.EndWith("}"), "nothing but the object on stdout");
        });
    }

    [Test]
    public void Every_loop_has_exactly_the_documented_keys_in_order()
    {
        var (_, json, _) = AnalyzeJson("keys.c", CSource, "-std=c11");
        var loops = json.RootElement.GetProperty("loops").EnumerateArray().ToList();
        Assert.That(loops, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var l in loops)
                Assert.That(l.EnumerateObject().Select(p => p.Name), Is.EqualTo(LoopKeys), l.ToString());
        });
    }

    [Test]
    public void Loop_fields_have_the_documented_types()
    {
        var (_, json, _) = AnalyzeJson("types.c", CSource, "-std=c11");
        Assert.Multiple(() =>
        {
            foreach (var l in json.RootElement.GetProperty("loops").EnumerateArray())
            {
                Assert.That(l.GetProperty("id").ValueKind, Is.EqualTo(JsonValueKind.String));
                Assert.That(l.GetProperty("line").ValueKind, Is.EqualTo(JsonValueKind.Number));
                Assert.That(l.GetProperty("column").ValueKind, Is.EqualTo(JsonValueKind.Number));
                Assert.That(l.GetProperty("function").GetString(), Is.EqualTo("kernels"));
                Assert.That(l.GetProperty("depth").GetInt32(), Is.InRange(1, 2));
                Assert.That(l.GetProperty("parallelizable").ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False));
                Assert.That(l.GetProperty("reductions").ValueKind, Is.EqualTo(JsonValueKind.Array));
                foreach (var red in l.GetProperty("reductions").EnumerateArray())
                    Assert.That(red.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "op", "var" }));
                Assert.That(l.GetProperty("private").EnumerateArray().Select(e => e.ValueKind), Has.All.EqualTo(JsonValueKind.String));
                Assert.That(l.GetProperty("lastprivate").EnumerateArray().Select(e => e.ValueKind), Has.All.EqualTo(JsonValueKind.String));
                Assert.That(l.GetProperty("runtimeCheck").ValueKind, Is.AnyOf(JsonValueKind.Null, JsonValueKind.String));
                Assert.That(l.GetProperty("reason").GetString(), Is.Not.Empty);
            }
        });
    }

    [Test]
    public void Json_values_describe_each_loop()
    {
        var (_, json, _) = AnalyzeJson("values.c", CSource, "-std=c11");
        var sum = LoopAt(json, 6, 5);
        var carried = LoopAt(json, 8, 2);
        var outer = LoopAt(json, 10, 5);
        var inner = LoopAt(json, 11, 9);
        var aliasing = LoopAt(json, 12, 3);
        Assert.Multiple(() =>
        {
            Assert.That(sum.GetProperty("parallelizable").GetBoolean(), Is.True, sum.ToString());
            var red = sum.GetProperty("reductions").EnumerateArray().Single();
            Assert.That((red.GetProperty("op").GetString(), red.GetProperty("var").GetString()), Is.EqualTo(("+", "s")));
            Assert.That(sum.GetProperty("runtimeCheck").ValueKind, Is.EqualTo(JsonValueKind.Null));

            Assert.That(carried.GetProperty("parallelizable").GetBoolean(), Is.False, carried.ToString());
            Assert.That(carried.GetProperty("reductions").GetArrayLength(), Is.Zero);

            Assert.That(outer.GetProperty("depth").GetInt32(), Is.EqualTo(1));
            Assert.That(inner.GetProperty("depth").GetInt32(), Is.EqualTo(2));
            Assert.That(inner.GetProperty("parallelizable").GetBoolean(), Is.True, inner.ToString());

            Assert.That(aliasing.GetProperty("parallelizable").GetBoolean(), Is.True, aliasing.ToString());
            Assert.That(aliasing.GetProperty("runtimeCheck").GetString(), Does.Contain("out").And.Contain("in"));
        });
    }

    [Test]
    public void There_is_one_entry_per_for_loop_at_the_position_of_the_for_keyword()
    {
        var (_, json, file) = AnalyzeJson("positions.c", CSource, "-std=c11");
        var expected = ForKeywords(CSource);
        Assert.That(expected, Has.Count.EqualTo(5), "the fixture itself");
        var loops = json.RootElement.GetProperty("loops").EnumerateArray().ToList();
        var actual = loops.Select(l => (l.GetProperty("line").GetInt32(), l.GetProperty("column").GetInt32())).ToList();
        Assert.That(actual, Is.EquivalentTo(expected));
        Assert.Multiple(() =>
        {
            foreach (var l in loops)
                Assert.That(l.GetProperty("id").GetString(), Is.EqualTo($"{file}:{l.GetProperty("line").GetInt32()}:{l.GetProperty("column").GetInt32()}"));
        });
    }

    [Test]
    public void Column_counts_leading_spaces_and_a_tab_as_one_column_each()
    {
        var (_, json, file) = AnalyzeJson("columns.c", CSource, "-std=c11");
        Assert.Multiple(() =>
        {
            Assert.That(LoopAt(json, 6, 5).GetProperty("id").GetString(), Is.EqualTo($"{file}:6:5"), "four spaces, then `for`");
            Assert.That(LoopAt(json, 8, 2).GetProperty("id").GetString(), Is.EqualTo($"{file}:8:2"), "one tab, then `for`");
            Assert.That(LoopAt(json, 12, 3).GetProperty("id").GetString(), Is.EqualTo($"{file}:12:3"), "two spaces, then `for`");
        });
    }

    [Test]
    public void Range_for_and_nested_loops_each_get_an_entry()
    {
        var (_, json, _) = AnalyzeJson("ranges.cpp", CppSource, "-std=c++17");
        var loops = json.RootElement.GetProperty("loops").EnumerateArray().ToList();
        var expected = ForKeywords(CppSource);
        Assert.That(expected, Has.Count.EqualTo(4), "the fixture itself");
        Assert.That(loops.Select(l => (l.GetProperty("line").GetInt32(), l.GetProperty("column").GetInt32())), Is.EquivalentTo(expected));
        Assert.That(loops.Select(l => l.GetProperty("depth").GetInt32()).Order(), Is.EqualTo(new[] { 1, 1, 2, 2 }));
        Assert.That(loops.Select(l => l.GetProperty("function").GetString()), Has.All.EqualTo("total"));
    }

    // ---- text output --------------------------------------------------------------------------------

    [Test]
    public void Text_output_names_the_evidence()
    {
        var file = Write("text.c", CSource);
        var r = Run(["analyze", file, "--", "-std=c11"]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(r.Stdout, Does.Contain("x[i - 1]"), "the carried dependence names the access");
            Assert.That(r.Stdout, Does.Contain("reduction(+:s)"), "the reduction is named as a clause");
            Assert.That(r.Stdout, Does.Contain($"{file}:8:2"), "each loop is introduced by its position");
            Assert.That(r.Stdout, Does.Contain("out").And.Contain("runtime check"));
            Assert.That(r.Stdout.TrimStart(), Does.Not.StartWith("{"), "without --json the output is not JSON");
        });
    }

    [Test]
    public void Text_output_names_the_users_directive_around_a_loop_in_their_parallel_block()
    {
        // XSBench-style: the loop has no pragma of its own; the user's `#pragma omp parallel` block encloses it.
        var file = Write("user_block.c",
            "void scale(double *a, int n)\n" +
            "{\n" +
            "#pragma omp parallel\n" +
            "    {\n" +
            "        for (int i = 0; i < n; i++)\n" +
            "            a[i] *= 2.0;\n" +
            "    }\n" +
            "}\n");
        var r = Run(["analyze", file, "--", "-std=c11"]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(r.Stdout, Does.Contain("note: the loop is under the user's OpenMP directive (`#pragma omp parallel`)"), r.Stdout);
        Assert.That(r.Stdout, Does.Not.Contain("already has an OpenMP pragma"));
    }

    // ---- failures: exit code 1 ----------------------------------------------------------------------

    private static void AssertCleanInputError(Result r, string code)
    {
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
            Assert.That(r.Stderr, Does.Contain(code), r.ToString());
            Assert.That(r.Stderr, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(r.Stderr, Does.Not.Contain("Unhandled exception"));
            Assert.That(r.Stdout, Is.Empty, "nothing is written on failure");
        });
    }

    [Test]
    public void Syntax_error_exits_1_with_a_code_and_the_source_position()
    {
        var file = Write("broken.c", "int f(int x)\n{\n    return x +;\n}\n");
        var r = Run(["analyze", file, "--json", "--", "-std=c11"]);
        AssertCleanInputError(r, "PSLM");
        Assert.That(r.Stderr, Does.Match(@"PSLM\d{4}"));
        var m = Regex.Match(r.Stderr, Regex.Escape(file) + @"\((\d+),(\d+)\)");
        Assert.That(m.Success, Is.True, "stderr names file(line,col): " + r.Stderr);
        Assert.That(int.Parse(m.Groups[1].Value), Is.EqualTo(3), "the error is on line 3");
    }

    [Test]
    public void Missing_file_exits_1_with_PSLM0003()
    {
        var missing = Path.Combine(_dir, "does_not_exist.c");
        var r = Run(["analyze", missing, "--json", "--", "-std=c11"]);
        AssertCleanInputError(r, "PSLM0003");
        Assert.That(r.Stderr, Does.Contain(missing));
    }

    [Test]
    public void Missing_libclang_exits_1_with_PSLM0002()
    {
        var file = Write("fine.c", CSource);
        var r = Run(["analyze", file, "--json", "--", "-std=c11"],
            new Dictionary<string, string> { ["PARASLM_LIBCLANG"] = "/nonexistent/libclang.so" });
        AssertCleanInputError(r, "PSLM0002");
        Assert.That(r.Stderr, Does.Contain("/nonexistent/libclang.so"), "the message says which path was tried");
    }

    public static IEnumerable<TestCaseData> BadCorpusFiles()
    {
        var root = Path.Combine(Corpus.CorpusFiles.RepositoryRoot, "tests", "corpus");
        return Directory.EnumerateFiles(root, "bad_*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".c" or ".cpp")
            .Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(f).SetName($"Corpus_{Path.GetFileName(f)}_exits_1_with_a_diagnostic"));
    }

    [TestCaseSource(nameof(BadCorpusFiles))]
    public void Broken_corpus_file_exits_1(string file)
    {
        var std = Path.GetExtension(file) == ".cpp" ? "-std=c++17" : "-std=c11";
        var r = Run(["analyze", file, "--json", "--", std, "-I" + Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(file))!, "include")]);
        AssertCleanInputError(r, "PSLM");
        Assert.That(r.Stderr, Does.Match(@"PSLM\d{4}"));
        Assert.That(r.Stderr, Does.Contain(file + "("), "the diagnostic points into the file");
    }

    [Test]
    public void Bad_corpus_files_exist()
    {
        Assert.That(BadCorpusFiles().Count(), Is.GreaterThanOrEqualTo(3));
    }

    // ---- bad usage: exit code 2 ---------------------------------------------------------------------

    [Test]
    public void No_arguments_is_bad_usage()
    {
        var r = Run([]);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Stderr, Does.Contain("usage"));
    }

    [TestCase("analyze", "{file}", "--bogus", TestName = "Unknown_option_is_bad_usage")]
    [TestCase("analyze", "{file}", "{file}", TestName = "Two_files_is_bad_usage")]
    [TestCase("analyze", TestName = "Analyze_without_a_file_is_bad_usage")]
    [TestCase("analyze", "{file}", "--assume-pure", TestName = "Option_without_its_value_is_bad_usage")]
    [TestCase("frobnicate", "{file}", TestName = "Unknown_command_is_bad_usage")]
    public void Bad_usage_exits_2(params string[] args)
    {
        var file = Write("usage.c", CSource);
        var r = Run(args.Select(a => a.Replace("{file}", file)));
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.Stdout, Is.Empty);
            Assert.That(r.Stderr, Is.Not.Empty);
            Assert.That(r.Stderr, Does.Not.Contain("   at "), "no stack trace");
        });
    }
}
