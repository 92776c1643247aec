using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// `restrict` rules out overlap only with pointers not based on the restrict pointer. Found on TSVC_2 through app.proj
/// (s421–s424, "storage classes and equivalencing"): a file-scope `real_t *__restrict__ xx` pointed into a global array
/// that the loop also read directly, or was copied to a plain global (`yy = xx`) the loop read one element ahead; the
/// analyzer called every such loop independent (`parallel for simd`); TSVC's uniform data hid the race, but the s423
/// shape over non-uniform data printed 6,085,261 / 6,086,680 at 2 / 4 threads against 6,074,072.5 serially.
/// A file-scope restrict pointer is now checked at run time like a plain one, and a restrict parameter whose value is
/// copied (or whose address is taken) loses its guarantee. Corpus: c/restrict_copies.c.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class RestrictCopyTests : SourceAnalyzerFixture
{
    private static string File => Path.Combine(CorpusFiles.Root, "c", "restrict_copies.c");

    private LoopFacts Loop(string function)
    {
        var loop = Analyzer.Analyze(File, CorpusFiles.ArgumentsFor(File)).Loops.Single(l => l.Function == function);
        TestContext.Out.WriteLine($"{function}: parallel={loop.Parallelizable} check={loop.RuntimeCheck ?? "none"} {loop.Reason}");
        return loop;
    }

    [Test]
    public void A_file_scope_restrict_pointer_into_an_array_the_loop_reads_is_checked_for_overlap()
    {
        var loop = Loop("shift_window_ahead");
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
        Assert.That(loop.RuntimeCheck, Does.Contain("cursor").And.Contain("samples"), "the check compares the pointer with the array it may point into");
    }

    [TestCase("smooth_through_copy", "view")]
    [TestCase("restrict_param_copied", "src")]
    public void A_copy_of_a_restrict_pointer_is_checked_for_overlap_with_it(string function, string copy)
    {
        var loop = Loop(function);
        Assert.That(loop.RuntimeCheck, Is.Not.Null, "a copy is based on the restrict pointer and may name the same elements: " + loop.Reason);
        Assert.That(loop.RuntimeCheck, Does.Contain(copy));
    }

    [Test]
    public void A_restrict_parameter_whose_address_is_taken_stays_serial()
    {
        var loop = Loop("restrict_param_address_taken");
        Assert.That(loop.Parallelizable, Is.False, "a pointer read back through its address is another name for its target");
    }

    [TestCase("scale_restrict")]
    [TestCase("fold_halves")]
    public void Restrict_parameters_that_are_never_copied_stay_parallel_without_a_check(string function)
    {
        var loop = Loop(function);
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
        Assert.That(loop.RuntimeCheck, Is.Null, "an uncopied restrict parameter (or a local defined once from it) needs no check");
    }

    /// <summary>The checks must reject the overlap the programs really have: `view = cursor`, `src = dst`.</summary>
    [Test]
    public void The_checks_reject_the_copies_the_functions_make()
    {
        var window = Loop("shift_window_ahead").RuntimeCheck;
        var smooth = Loop("smooth_through_copy").RuntimeCheck;
        var copied = Loop("restrict_param_copied").RuntimeCheck;
        var dir = Directory.CreateTempSubdirectory("paraslm-restrict-").FullName;
        try
        {
            var source = Path.Combine(dir, "checks.c");
            System.IO.File.WriteAllText(source, $$"""
                #include <stdio.h>
                #define SAMPLES 4096
                float samples[SAMPLES], gains[SAMPLES];
                float *__restrict__ cursor;
                float *view;
                static int window(void) { return {{window}}; }
                static int smooth(void) { return {{smooth}}; }
                static int copied(float *dst, float *src, int n) { return {{copied}}; }
                int main(void)
                {
                    float other[64];
                    cursor = samples + 4;
                    int w = window();
                    view = cursor;
                    int s = smooth();
                    int c = copied(samples, samples, 100), d = copied(samples, other, 32);
                    printf("%d %d %d %d\n", w, s, c, d);
                    return 0;
                }
                """);
            var exe = Path.Combine(dir, "checks");
            var build = GenerationWorkspace.Run("gcc", ["-std=c11", "-O1", source, "-o", exe]);
            Assert.That(build.ExitCode, Is.EqualTo(0), build.Output);
            var run = GenerationWorkspace.Run(exe, []);
            Assert.That(run.StdOut.Trim(), Is.EqualTo("0 0 0 1"), "overlapping copies fail their checks; disjoint buffers pass");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
