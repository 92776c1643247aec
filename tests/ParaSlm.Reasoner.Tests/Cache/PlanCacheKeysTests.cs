using System.Text;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Reasoner.Cache;

namespace ParaSlm.Reasoner.Tests.Cache;

/// <summary>
/// Key stability and sensitivity, on facts from the real analyzer: where the code is must not matter, what it does
/// and how it is compiled and planned must.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class PlanCacheKeysTests
{
    private const string Scale = """
        void scale(int n, double *restrict a, const double *restrict b) {
            for (int i = 0; i < n; i++)   // the hot loop
                a[i] = b[i] * 2.0;
        }
        """;

    /// <summary>The same nest, elsewhere: other file, other function, other line, other comments and layout.</summary>
    private const string ScaleMoved = """
        /* A file with other things in front. */
        static int unrelated(int x) { return x + 1; }

        int more_unrelated(void)
        {
            return unrelated(41);
        }

        void scale_again(int n, double *restrict a, const double *restrict b)
        {
            /* same loop, other comments */
            for (int i = 0;
                 i < n;   i++)
                a[i] = b[i]*2.0; // twice
        }
        """;

    private const string ScaleShifted = """
        void scale(int n, double *restrict a, const double *restrict b) {
            for (int i = 0; i < n; i++)   // the hot loop
                a[i] = b[i + 1] * 2.0;
        }
        """;

    private const string WithMacro = """
        double a[64], b[64];
        void copy(void) {
            for (int i = 0; i < N; i++)
                a[i] = b[i];
        }
        """;

    private const string MatMul = """
        void matmul(int n, double *restrict c, const double *restrict a, const double *restrict b) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0.0;
                    for (int k = 0; k < n; k++)
                        s += a[i * n + k] * b[k * n + j];
                    c[i * n + j] = s;
                }
        }
        """;

    private SourceAnalyzer _analyzer = null!;
    private string _dir = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _analyzer = new SourceAnalyzer(new AnalyzerOptions());
        _dir = CacheTestData.TempDir();
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        _analyzer.Dispose();
        CacheTestData.Delete(_dir);
    }

    private sealed record Nest(LoopFacts Root, IReadOnlyList<LoopFacts> Loops, string Text);

    /// <summary>Analyzes <paramref name="source"/> as <paramref name="file"/> and cuts out its first nest as the planner does.</summary>
    private Nest FirstNest(string source, string file, params string[] args)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N"), file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, source);
        var analysis = _analyzer.Analyze(path, args.Length == 0 ? ["-std=c11"] : args, file);
        var root = analysis.Loops.First(l => l.ParentId is null);
        var byId = analysis.Loops.ToDictionary(l => l.Id, StringComparer.Ordinal);
        var loops = analysis.Loops.Where(l => l.Id == root.Id || Inside(l, root, byId)).ToList();
        var start = source.LastIndexOf('\n', Math.Max(0, root.StartOffset - 1)) + 1;
        var end = source.IndexOf('\n', Math.Min(source.Length - 1, root.EndOffset));
        return new Nest(root, loops, source[start..(end < 0 ? source.Length : end)]);
    }

    private static bool Inside(LoopFacts l, LoopFacts root, Dictionary<string, LoopFacts> byId)
    {
        for (var p = l.ParentId; p is not null && byId.TryGetValue(p, out var parent); p = parent.ParentId)
            if (p == root.Id) return true;
        return false;
    }

    private static PlanCacheKey Key(Nest n, IReadOnlyList<string>? args = null, string model = "qwen2.5:1.5b", string digest = "sha256:aaaa",
        string strategy = "zero-shot", string prompt = "zero-shot@1", string target = "cpu") =>
        PlanCacheKeys.Compute(n.Root, n.Loops, n.Text, args ?? ["-std=c11"], model, digest, strategy, prompt, target);

    private static string Canonical(Nest n) =>
        Encoding.UTF8.GetString(PlanCacheKeys.CanonicalForm(n.Root, n.Loops, n.Text, ["-std=c11"], "m", "d", "s", "p", "cpu"));

    [Test]
    public void SameNestMovedToAnotherFileFunctionAndLine_HasTheSameKey()
    {
        var here = FirstNest(Scale, "kernels/scale.c");
        var there = FirstNest(ScaleMoved, "elsewhere/renamed.c");
        Assert.That(there.Root.Line, Is.Not.EqualTo(here.Root.Line), "the test needs the nest on another line");
        Assert.That(there.Root.Function, Is.Not.EqualTo(here.Root.Function));
        Assert.That(Key(there).Hash, Is.EqualTo(Key(here).Hash), () => "canonical forms:\n" + Canonical(here) + "\n" + Canonical(there));
    }

    [Test]
    public void SameNestTwiceInARun_HasTheSameKey()
    {
        var a = FirstNest(MatMul, "mm.c");
        var b = FirstNest(MatMul, "mm.c");
        Assert.That(Key(a), Is.EqualTo(Key(b)));
        Assert.That(a.Loops, Has.Count.EqualTo(3));
    }

    [Test]
    public void ChangedSubscript_ChangesTheKey()
    {
        var before = FirstNest(Scale, "scale.c");
        var after = FirstNest(ScaleShifted, "scale.c");
        Assert.That(Key(after).Hash, Is.Not.EqualTo(Key(before).Hash));
    }

    [Test]
    public void ChangedSubscriptInTheSourceAlone_ChangesTheKey()
    {
        // Even with identical facts, the source the model reads is part of the question.
        var n = FirstNest(Scale, "scale.c");
        var edited = n with { Text = n.Text.Replace("b[i]", "b[i + 1]", StringComparison.Ordinal) };
        Assert.That(Key(edited).Hash, Is.Not.EqualTo(Key(n).Hash));
    }

    [Test]
    public void MacroValue_ChangesTheKey()
    {
        var ten = FirstNest(WithMacro, "copy.c", "-std=c11", "-DN=10");
        var twenty = FirstNest(WithMacro, "copy.c", "-std=c11", "-DN=20");
        Assert.That(Key(twenty, ["-std=c11", "-DN=20"]).Hash, Is.Not.EqualTo(Key(ten, ["-std=c11", "-DN=10"]).Hash));
        // The flag alone counts too: a macro the nest's facts do not show may still change what the model is told.
        Assert.That(Key(ten, ["-std=c11", "-DN=20"]).Hash, Is.Not.EqualTo(Key(ten, ["-std=c11", "-DN=10"]).Hash));
    }

    [Test]
    public void IncludePathsWarningsOptimizationAndDebugFlags_DoNotChangeTheKey()
    {
        var n = FirstNest(Scale, "scale.c");
        var plain = Key(n, ["-std=c11", "-I/src/include"]);
        var other = Key(n, ["-I", "/elsewhere/include", "-std=c11", "-isystem", "/opt/sys", "-Wall", "-Wextra", "-O3", "-g", "-c", "-o", "scale.o",
            "-MD", "-MF", "scale.d", "-fdiagnostics-color=always", "-fPIC", "scale.c"]);
        Assert.That(other.Hash, Is.EqualTo(plain.Hash));
    }

    [TestCase("-ffast-math")]
    [TestCase("-fno-strict-aliasing")]
    [TestCase("-fwrapv")]
    [TestCase("-march=native")]
    [TestCase("-m32")]
    [TestCase("-UNDEBUG")]
    [TestCase("-fopenmp")]
    public void SemanticFlag_ChangesTheKey(string flag)
    {
        var n = FirstNest(Scale, "scale.c");
        Assert.That(Key(n, ["-std=c11", flag]).Hash, Is.Not.EqualTo(Key(n, ["-std=c11"]).Hash));
    }

    [Test]
    public void LanguageStandard_ChangesTheKey()
    {
        var n = FirstNest(Scale, "scale.c");
        Assert.That(Key(n, ["-std=c17"]).Hash, Is.Not.EqualTo(Key(n, ["-std=c11"]).Hash));
    }

    [TestCase("model")]
    [TestCase("digest")]
    [TestCase("strategy")]
    [TestCase("prompt")]
    [TestCase("target")]
    public void PlanningSetting_ChangesTheKey(string what)
    {
        var n = FirstNest(Scale, "scale.c");
        var baseline = Key(n);
        var changed = what switch
        {
            "model" => Key(n, model: "llama3.2:1b"),
            "digest" => Key(n, digest: "sha256:bbbb"),
            "strategy" => Key(n, strategy: "cot"),
            "prompt" => Key(n, prompt: "zero-shot@2"),
            _ => Key(n, target: "gpu"),
        };
        Assert.That(changed.Hash, Is.Not.EqualTo(baseline.Hash));
    }

    [Test]
    public void KeyIsALowercaseSha256_WithAShortDescription()
    {
        var key = Key(FirstNest(MatMul, "mm.c"));
        Assert.That(key.Hash, Does.Match("^[0-9a-f]{64}$"));
        Assert.That(key.Description, Does.Contain("3 loops").And.Contain("qwen2.5:1.5b").And.Contain("zero-shot"));
        TestContext.Out.WriteLine(key.Description);
    }

    [Test]
    public void CanonicalForm_IsVersioned_AndHoldsNoPositions()
    {
        var n = FirstNest(ScaleMoved, "elsewhere/renamed.c");
        var form = Canonical(n);
        Assert.That(form, Does.Contain(PlanCacheKeys.CanonicalVersion));
        Assert.That(form, Does.Not.Contain("renamed.c").And.Not.Contain("scale_again").And.Not.Contain($"line {n.Root.Line}"));
    }

    /// <summary>
    /// A pinned key for fixed synthetic facts: if this fails, the canonical form changed; bump
    /// <see cref="PlanCacheKeys.CanonicalVersion"/> (old entries must miss, not be misread) and update the value.
    /// </summary>
    [Test]
    public void CanonicalForm_IsPinned()
    {
        var loop = CacheTestData.Loop("i + 1");
        var key = PlanCacheKeys.Compute(loop, [loop], "for (int i = 0; i < n; i++) s += a[i + 1];", ["-std=c11", "-DN=4"],
            "qwen2.5:1.5b", "sha256:65ec06548149", "zero-shot", "zero-shot@1", "cpu");
        TestContext.Out.WriteLine(Encoding.UTF8.GetString(PlanCacheKeys.CanonicalForm(loop, [loop], "for (int i = 0; i < n; i++) s += a[i + 1];",
            ["-std=c11", "-DN=4"], "qwen2.5:1.5b", "sha256:65ec06548149", "zero-shot", "zero-shot@1", "cpu")));
        Assert.That(key.Hash, Is.EqualTo(PinnedKey));
    }

    private const string PinnedKey = "bdd69659503fe8c5b443b9e0249601fc9a37572fa4805ecf092418145ee437f3";

    [Test]
    public void SyntheticFacts_MovedLines_SameKey_ChangedSubscript_OtherKey()
    {
        var here = CacheTestData.Loop("i", file: "a.c", line: 3, function: "f");
        var there = CacheTestData.Loop("i", file: "dir/b.c", line: 90, function: "g");
        var shifted = CacheTestData.Loop("i + 1", file: "a.c", line: 3, function: "f");
        PlanCacheKey K(LoopFacts l) => PlanCacheKeys.Compute(l, [l], "for(;;)", [], "m", "d", "s", "p", "cpu");
        Assert.That(K(there).Hash, Is.EqualTo(K(here).Hash));
        Assert.That(K(shifted).Hash, Is.Not.EqualTo(K(here).Hash));
    }

    [TestCase("for (int i = 0; i < n; i++) { a[i] = b[i]; }", "for(int i=0;i<n;i++){a[i]=b[i];}")]
    [TestCase("for (int i = 0; i < n; i++) // c\n  a[i] /* x */ = b[i];", "for(int i=0;i<n;i++)a[i]=b[i];")]
    [TestCase("x = a - -b;", "x=a- -b;")]
    [TestCase("x = a--b;", "x=a--b;")]
    [TestCase("s = \"a  // not a comment\";", "s=\"a  // not a comment\";")]
    [TestCase("long  long x = 1;", "long long x=1;")]
    [TestCase("#pragma omp parallel for\nfor (;;) x++;", "#pragma omp parallel for\nfor(;;)x++;")]
    [TestCase("a = b \\\n + c;", "a=b+c;")]
    public void NormalizeSource_DropsCommentsAndLayoutOnly(string source, string expected) =>
        Assert.That(PlanCacheKeys.NormalizeSource(source), Is.EqualTo(expected));

    [Test]
    public void SemanticArguments_KeepOnlyWhatChangesMeaning()
    {
        string[] args = ["-D", "N=10", "-DM=2", "-U", "X", "-std=c++17", "-I", "inc", "-Iother", "-isystem", "/sys", "-O2", "-g", "-Wall",
            "-ffast-math", "-fdiagnostics-color", "-fPIC", "-march=x86-64-v3", "-MD", "-MF", "x.d", "-o", "x.o", "-c", "x.cpp", "/Users/me/y.c",
            "-include", "/abs/path/prelude.h", "--target=aarch64-linux-gnu", "-x", "c++"];
        Assert.That(PlanCacheKeys.SemanticArguments(args), Is.EqualTo(new[]
        {
            "-DN=10", "-DM=2", "-UX", "-std=c++17", "-ffast-math", "-march=x86-64-v3", "-include prelude.h", "--target=aarch64-linux-gnu", "-x c++",
        }));
    }
}
