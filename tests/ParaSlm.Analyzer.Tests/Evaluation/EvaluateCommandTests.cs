using System.Text.Json;
using ParaSlm.Cli;
using ParaSlm.Evaluation;

namespace ParaSlm.Analyzer.Tests.Evaluation;

/// <summary>
/// `paraslm evaluate` end to end on a two-kernel fixture suite (Fixtures/tiny-suite: `scale`, parallel, with an expert
/// version; `prefix`, a recurrence, without one): real compilers, the real engine, one run. Checks the report files,
/// checksum agreement and that what cannot be built is reported with its reason instead of being dropped.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("Integration")]
public sealed class EvaluateCommandTests
{
    private string _out = null!;

    [SetUp]
    public void SetUp() => _out = Path.Combine(Path.GetTempPath(), "paraslm-evaluate-" + Guid.NewGuid().ToString("N")[..8]);

    [TearDown]
    public void TearDown()
    {
        try { Directory.Delete(_out, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string Suite(string name = "tiny-suite")
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ParaSlm.Build.sln"))) dir = dir.Parent;
        Assert.That(dir, Is.Not.Null, "repository root not found");
        return Path.Combine(dir!.FullName, "tests", "ParaSlm.Analyzer.Tests", "Evaluation", "Fixtures", name);
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = CommandLine.RunAsync(args, o, e).GetAwaiter().GetResult();
        return (code, o.ToString(), e.ToString());
    }

    private static JsonElement Cell(JsonElement report, string kernel, string variant) =>
        report.GetProperty("kernels").EnumerateArray().Single(k => k.GetProperty("name").GetString() == kernel)
            .GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("variant").GetString() == variant);

    [Test]
    public void Evaluates_a_tiny_suite_writes_table_json_and_chart_and_reports_what_could_not_be_built()
    {
        var (code, stdout, stderr) = Run("evaluate", "--suite", Suite(), "--out", _out, "--runs", "1", "--json", "--calibration-iterations", "20000000");
        Assert.That(code, Is.EqualTo(0), stderr);

        foreach (var f in new[] { "report.md", "report.json", "report.html", "speedups.svg" })
            Assert.That(File.Exists(Path.Combine(_out, f)), Is.True, f);
        var svg = File.ReadAllText(Path.Combine(_out, "speedups.svg"));
        Assert.That(svg, Does.StartWith("<svg").And.Contain("</svg>").And.Contain("paraslm-gcc").And.Contain("geomean"));
        Assert.DoesNotThrow(() => System.Xml.Linq.XDocument.Parse(svg), "speedups.svg is well-formed XML");
        var md = File.ReadAllText(Path.Combine(_out, "report.md"));
        Assert.That(md, Does.Contain("](speedups.svg)").And.Contain("| scale").And.Contain("| prefix").And.Contain("machine ceiling"));

        using var doc = JsonDocument.Parse(stdout);
        var report = doc.RootElement;
        Assert.That(report.GetProperty("kernels").GetArrayLength(), Is.EqualTo(2));
        Assert.That(report.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("name").GetString()),
            Is.EquivalentTo(Variants.Names), "every variant appears, built or not");
        foreach (var k in report.GetProperty("kernels").EnumerateArray())
        {
            Assert.That(k.GetProperty("baseline").GetString(), Is.AnyOf(Variants.SerialGcc, Variants.SerialClang));
            foreach (var c in k.GetProperty("cells").EnumerateArray())
            {
                var status = c.GetProperty("status").GetString();
                var where = $"{k.GetProperty("name").GetString()} × {c.GetProperty("variant").GetString()}";
                Assert.That(status, Is.Not.EqualTo(CellStatus.ChecksumDiffers), where + ": " + c.GetProperty("reason"));
                if (status == CellStatus.Ok)
                {
                    Assert.That(c.GetProperty("checksumAgrees").GetBoolean(), Is.True, where);
                    Assert.That(c.GetProperty("speedup").GetDouble(), Is.GreaterThan(0), where);
                }
                else
                {
                    Assert.That(c.GetProperty("reason").GetString(), Is.Not.Null.And.Not.Empty, where + " is not ok, so it needs a reason");
                }
            }
        }

        // The serial builds and ParaSlm's builds (gcc, clang) run on this machine and agree.
        foreach (var v in new[] { Variants.SerialGcc, Variants.SerialClang, "paraslm-gcc", "paraslm-clang", "expert-gcc" })
            Assert.That(Cell(report, "scale", v).GetProperty("status").GetString(), Is.EqualTo(CellStatus.Ok), v);
        Assert.That(Cell(report, "scale", "paraslm-gcc").GetProperty("note").GetString(), Does.Contain("loops parallel"));

        // `prefix` has no expert version: reported, with the reason, not dropped.
        var missing = Cell(report, "prefix", "expert-gcc");
        Assert.That(missing.GetProperty("status").GetString(), Is.EqualTo(CellStatus.Unavailable));
        Assert.That(missing.GetProperty("reason").GetString(), Does.Contain("no expert version"));
        Assert.That(md, Does.Contain("no expert version"));

        // What parallelizing alone changed: each ParaSlm build against its own compiler's serial build, with its ratio.
        var vsOwnSerial = report.GetProperty("comparisons").EnumerateArray()
            .Where(c => c.GetProperty("peer").GetString() is Variants.SerialGcc or Variants.SerialClang)
            .ToDictionary(c => c.GetProperty("paraSlm").GetString()!, c => c.GetProperty("peer").GetString());
        Assert.That(vsOwnSerial, Is.EquivalentTo(new Dictionary<string, string?> { ["paraslm-gcc"] = Variants.SerialGcc, ["paraslm-clang"] = Variants.SerialClang }));
        Assert.That(md.Split('\n').Any(l => l.StartsWith("| paraslm-gcc ", StringComparison.Ordinal) && l.Contains("| " + Variants.SerialGcc + " ", StringComparison.Ordinal)), Is.True,
            "report.md's comparison table has the row");

        var geo = report.GetProperty("geoMeans").EnumerateArray().Single(g => g.GetProperty("variant").GetString() == "paraslm-gcc");
        Assert.That(geo.GetProperty("kernels").GetInt32(), Is.EqualTo(2));
        Assert.That(report.GetProperty("calibration").GetProperty("speedup").GetDouble(), Is.GreaterThan(0));
    }

    [Test]
    public void A_missing_compiler_makes_its_variants_unavailable_with_the_reason_and_the_table_says_so()
    {
        var (code, stdout, stderr) = Run("evaluate", "--suite", Suite(), "--out", _out, "--runs", "1", "--kernels", "scale",
            "--variants", "paraslm-clang,clang-polly", "--clang", "/nonexistent/clang-missing", "--calibration-iterations", "1000000");
        Assert.That(code, Is.EqualTo(0), stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "report.json")));
        foreach (var v in new[] { Variants.SerialClang, "paraslm-clang", "clang-polly" })
        {
            var c = Cell(doc.RootElement, "scale", v);
            Assert.That(c.GetProperty("status").GetString(), Is.EqualTo(CellStatus.Unavailable), v);
            Assert.That(c.GetProperty("reason").GetString(), Does.Contain("/nonexistent/clang-missing").And.Contain("not found"), v);
        }
        // gcc's serial build is still the baseline.
        Assert.That(Cell(doc.RootElement, "scale", Variants.SerialGcc).GetProperty("status").GetString(), Is.EqualTo(CellStatus.Ok));
        Assert.That(stdout, Does.Contain("| scale").And.Contain("n/a").And.Contain("not found"));
    }

    [Test]
    public void A_kernel_whose_runs_spread_widely_runs_until_max_runs_and_a_quiet_one_stops_at_runs()
    {
        // Fixtures/noisy-suite: `jitter` reports 0.5 s and 1.0 s on alternate runs, `steady` always 0.5 s.
        var (code, stdout, stderr) = Run("evaluate", "--suite", Suite("noisy-suite"), "--out", _out, "--runs", "2", "--max-runs", "5",
            "--variants", Variants.SerialGcc, "--calibration-iterations", "1000000");
        Assert.That(code, Is.EqualTo(0), stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "report.json")));
        var report = doc.RootElement;
        foreach (var v in new[] { Variants.SerialGcc, Variants.SerialClang })
        {
            Assert.That(Cell(report, "jitter", v).GetProperty("times").GetArrayLength(), Is.EqualTo(5), "jitter × " + v);
            Assert.That(Cell(report, "steady", v).GetProperty("times").GetArrayLength(), Is.EqualTo(2), "steady × " + v);
        }
        // 0.5, 1.0, 0.5, 1.0, 0.5: the median of the five runs.
        Assert.That(Cell(report, "jitter", Variants.SerialGcc).GetProperty("median").GetDouble(), Is.EqualTo(0.5));
        Assert.That(report.GetProperty("maxRuns").GetInt32(), Is.EqualTo(5));
        Assert.That(report.GetProperty("extraRoundKernels").EnumerateArray().Select(k => k.GetString()), Is.EqualTo(new[] { "jitter" }));
        Assert.That(stderr + stdout, Does.Contain("3 more alternating rounds for it").And.Contain("[run 5/5] jitter"));
        Assert.That(File.ReadAllText(Path.Combine(_out, "report.md")), Does.Contain("2 alternating runs per kernel and variant (5 for jitter: their times spread more than 15% in the first 2)"));
    }

    [Test]
    public void Max_runs_below_runs_is_a_usage_error()
    {
        var (code, _, stderr) = Run("evaluate", "--suite", Suite(), "--out", _out, "--runs", "5", "--max-runs", "3");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("--max-runs must be at least --runs"));
    }

    [Test]
    public void Unknown_variant_is_a_usage_error()
    {
        var (code, _, err) = Run("evaluate", "--suite", Suite(), "--out", _out, "--variants", "magic");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("unknown variant 'magic'"));
    }

    [TestCase("1.0000000000e+00", "1.0000000005e+00", true)]
    [TestCase("1.0000000000e+00", "1.0000001000e+00", false)]
    [TestCase("123456789", "123456789", true)]
    [TestCase("123456789", "123456788", false)]
    [TestCase("0.0000000000e+00", "0.0000000000e+00", true)]
    [TestCase("1.0e+00", "nan", false)]
    public void Checksums_compare_with_relative_tolerance_and_integers_exactly(string reference, string actual, bool agrees) =>
        Assert.That(KernelOutput.Agrees(reference, actual, out _), Is.EqualTo(agrees));

    [Test]
    public void Kernel_output_is_parsed_from_the_two_lines()
    {
        var o = KernelOutput.Parse("checksum: 3.2605819227e+08\ntime: 1.080476 s\n");
        Assert.That(o, Is.Not.Null);
        Assert.That(o!.Checksum, Is.EqualTo("3.2605819227e+08"));
        Assert.That(o.Seconds, Is.EqualTo(1.080476).Within(1e-12));
        Assert.That(KernelOutput.Parse("checksum: 1\n"), Is.Null);
    }
}
