using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A method called on an object shared by all iterations is an effect on that object when its body writes state
/// reachable from `this` (issue 11, found on a compressed-array library: `a[i]` refilled a shared cache). The worst
/// case as a whole program: a template loop over a cached array (the library's test pattern), a `mutable` counter in
/// a const getter, and a pure getter that must stay parallel. The program is rewritten exactly as the build does,
/// run on 4 threads against serial, and run under ThreadSanitizer with Archer.
/// </summary>
[TestFixture]
[Category("Integration")]
[Parallelizable(ParallelScope.None)]
public sealed class StatefulMethodsRunTests : GenerationFixture
{
    private const string CachedArrayProgram = """
        #include <algorithm>
        #include <cmath>
        #include <cstdio>
        #include <vector>

        // Blocks of 8 values decoded into a 2-line cache on demand: operator[] is const and writes the cache.
        class CachedArray {
        public:
            explicit CachedArray(const std::vector<double>& s) : store(s.data()) {}
            double operator[](int i) const
            {
                int block = i / 8, slot = block % 2;
                if (tag[slot] != block) {
                    for (int k = 0; k < 8; k++) line[slot][k] = store[block * 8 + k] + 0.0;
                    tag[slot] = block;
                    ++misses;
                }
                return line[slot][i % 8];
            }
            const double* store;
            mutable int tag[2] = {-1, -1};
            mutable double line[2][8] = {};
            mutable long misses = 0;
        };

        class CountedView {
        public:
            double get(int i) const { ++reads; return data[i]; }
            double peek(int i) const { return data[i] * scale; }
            const double* data = nullptr;
            double scale = 0.5;
            mutable long reads = 0;
        };

        template <class Array>
        double max_error(const Array& a, const double* f, int n)
        {
            double emax = 0;
            for (int i = 0; i < n; i++)
                emax = std::max(emax, std::fabs(f[i] - a[i]));
            return emax;
        }

        int main()
        {
            const int n = 1 << 18;
            std::vector<double> f(n), out(n), half(n);
            for (int i = 0; i < n; i++) f[i] = std::sin(0.001 * i) * 1000.0;
            CachedArray a(f);
            CountedView v;
            v.data = f.data();
            double emax = max_error(a, f.data(), n);
            double* o = out.data();
            for (int i = 0; i < n; i++)
                o[i] = v.get(i);
            double* h = half.data();
            for (int i = 0; i < n; i++)
                h[i] = v.peek(i);
            double s = 0;
            for (int i = 0; i < n; i++) s += out[i] - 2.0 * half[i];
            std::printf("emax %.17g misses %ld reads %ld check %.17g\n", emax, a.misses, v.reads, s);
            return 0;
        }

        """;

    private static readonly Dictionary<string, string> FourThreads = new() { ["OMP_NUM_THREADS"] = "4", ["OMP_WAIT_POLICY"] = "passive" };

    private static readonly Dictionary<string, string> TsanFourThreads = new()
    {
        ["OMP_NUM_THREADS"] = "4",
        ["OMP_TOOL_LIBRARIES"] = "/usr/lib/llvm-19/lib/libarcher.so",
        ["TSAN_OPTIONS"] = "ignore_noninstrumented_modules=1 halt_on_error=0",
    };

    private static int LineOf(string source, string text) =>
        source.Split('\n').Select((l, k) => (l, k)).First(x => x.l.Contains(text, StringComparison.Ordinal)).k + 1;

    [Test]
    public void Loops_calling_a_cache_filling_accessor_or_a_counting_getter_stay_serial_and_a_pure_getter_loop_is_parallel()
    {
        var path = Ws.WriteSource("verdict_cached.cpp", CachedArrayProgram);
        var loops = Ws.Analyze(path).Loops;
        var template = loops.Single(l => l.Function == "max_error");
        Assert.That(template.Parallelizable, Is.False, template.Reason);
        Assert.That(template.Reason, Does.Contain("depends on a template parameter"));
        var counted = loops.Single(l => l.Line == LineOf(CachedArrayProgram, "o[i] = v.get(i)") - 1);
        Assert.That(counted.Parallelizable, Is.False, counted.Reason);
        Assert.That(counted.Reason, Does.Contain("reads"));
        var pure = loops.Single(l => l.Line == LineOf(CachedArrayProgram, "h[i] = v.peek(i)") - 1);
        Assert.That(pure.Parallelizable, Is.True, pure.Reason);
    }

    [TestCase("g++")]
    [TestCase("clang++-19")]
    public void The_cached_array_program_prints_on_4_threads_what_it_prints_serially(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler + "_cached.cpp", CachedArrayProgram);
        var result = Ws.RewriteParallelLoops(path);
        Assert.That(result.Outcomes.Count(o => o.Applied), Is.GreaterThanOrEqualTo(1), "the pure getter loop is parallel, so the run tests the rewrite");
        var rewritten = Ws.WriteRewritten(path, result.Text);
        var serial = Path.Combine(Ws.Root, $"serial_{compiler}_cached");
        var parallel = Path.Combine(Ws.Root, $"parallel_{compiler}_cached");
        Assert.That(GenerationWorkspace.Run(cc, ["-std=c++17", "-O1", path, "-o", serial]).ExitCode, Is.Zero);
        var build = GenerationWorkspace.Run(cc, ["-std=c++17", "-O1", "-fopenmp", rewritten, "-o", parallel]);
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        var expected = GenerationWorkspace.Run(serial, [], environment: FourThreads);
        Assert.That(expected.StdOut, Does.StartWith("emax 0 "), "the serial program reads back what it stored");
        for (var round = 0; round < 3; round++)
        {
            var actual = GenerationWorkspace.Run(parallel, [], environment: FourThreads);
            Assert.That(actual.ExitCode, Is.Zero, actual.Output);
            Assert.That(actual.StdOut, Is.EqualTo(expected.StdOut), "round " + round + "; rewritten:\n" + result.Text);
        }
    }

    [Test]
    public void ThreadSanitizer_finds_the_cache_race_when_the_accessor_loop_is_forced_parallel_and_none_in_the_rewrite()
    {
        var cc = GenerationWorkspace.RequireTool("clang++-19");
        // A missing Archer fails the test (an ignored test would read as a pass on a machine that checked nothing).
        Assert.That(File.Exists(TsanFourThreads["OMP_TOOL_LIBRARIES"]), Is.True, "Archer (libomp-19-dev) is not installed; .ci/bootstrap installs it");
        var path = Ws.WriteSource("tsan_cached.cpp", CachedArrayProgram);
        var result = Ws.RewriteParallelLoops(path);
        var rewritten = Ws.WriteRewritten(path, result.Text);

        // The control: what an analyzer that trusts `a[i]` would emit. TSan must see the race, or this test proves nothing.
        var forcedText = CachedArrayProgram.Replace(
            "    double emax = 0;\n    for (int i = 0; i < n; i++)\n        emax = std::max",
            "    double emax = 0;\n    #pragma omp parallel for reduction(max:emax)\n    for (int i = 0; i < n; i++)\n        emax = std::max",
            StringComparison.Ordinal);
        Assert.That(forcedText, Is.Not.EqualTo(CachedArrayProgram));
        var forced = Ws.WriteSource("tsan_forced.cpp", forcedText);

        string Build(string source, string name)
        {
            var exe = Path.Combine(Ws.Root, name);
            var b = GenerationWorkspace.Run(cc, ["-std=c++17", "-O1", "-g", "-fopenmp", "-fsanitize=thread", source, "-o", exe]);
            Assert.That(b.ExitCode, Is.Zero, b.Output);
            return exe;
        }

        var control = GenerationWorkspace.Run(Build(forced, "tsan_forced"), [], environment: TsanFourThreads);
        Assert.That(control.StdErr, Does.Contain("ThreadSanitizer: data race"), "the forced-parallel cache loop races");

        var exe = Build(rewritten, "tsan_rewritten");
        for (var round = 0; round < 2; round++)
        {
            var run = GenerationWorkspace.Run(exe, [], environment: TsanFourThreads);
            Assert.That(run.StdErr, Does.Not.Contain("ThreadSanitizer"), "round " + round + "; rewritten:\n" + result.Text);
            Assert.That(run.ExitCode, Is.Zero, run.Output);
        }
    }
}
