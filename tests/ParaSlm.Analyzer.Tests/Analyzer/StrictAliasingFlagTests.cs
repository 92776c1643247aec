using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Types rule out aliasing only where the file's build has the standard's aliasing rule. Found on FLAC through app.proj:
/// `residual[i] = data[i] - data[i-1]` with `const FLAC__int64 data[]` and `FLAC__int32 residual[]` was parallel with no
/// overlap check, since an int64 and an int32 access never name one object under strict aliasing (FLAC builds with it,
/// so that verdict is right there). A project built with -fno-strict-aliasing (CPython, the Linux kernel, many codecs)
/// makes such accesses defined: its serial program may read one buffer through both types, and a parallel loop without
/// a check would race. The corpus file tests/corpus/c/type_punning.c holds the loops; its annotations are the default
/// (strict) verdicts, and these tests analyze it again with the flag.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class StrictAliasingFlagTests : SourceAnalyzerFixture
{
    private static string File => Path.Combine(CorpusFiles.Root, "c", "type_punning.c");

    private IReadOnlyDictionary<string, LoopFacts> Loops(params string[] extra)
    {
        var analysis = Analyzer.Analyze(File, [.. CorpusFiles.ArgumentsFor(File), .. extra]);
        foreach (var l in analysis.Loops) TestContext.Out.WriteLine($"{l.Function}: {(l.Parallelizable ? "parallel" : "sequential")} check={l.RuntimeCheck ?? "none"} {l.Reason}");
        return analysis.Loops.ToDictionary(l => l.Function, l => l);
    }

    [TestCase("narrow_diff")]
    [TestCase("widen_scale")]
    [TestCase("dequantize")]
    public void Buffers_of_different_types_need_no_check_under_the_default_rule(string function)
    {
        var loop = Loops()[function];
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
        Assert.That(loop.RuntimeCheck, Is.Null, "an optimizing build's aliasing rule keeps the two types apart");
    }

    [TestCase("narrow_diff")]
    [TestCase("widen_scale")]
    [TestCase("dequantize")]
    public void Buffers_of_different_types_are_checked_for_overlap_under_no_strict_aliasing(string function)
    {
        var loop = Loops("-O2", "-fno-strict-aliasing")[function];
        Assert.That(loop.Parallelizable && loop.RuntimeCheck is null, Is.False,
            $"with -fno-strict-aliasing the buffers may overlap: parallel only behind an overlap check, or serial ({loop.Reason})");
        if (loop.Parallelizable) Assert.That(loop.Reason, Does.Contain("do not overlap"));
    }

    [Test]
    public void A_global_reduced_beside_stores_of_another_type_stays_serial_under_no_strict_aliasing()
    {
        Assert.That(Loops()["sum_and_copy"].Reductions.Select(r => r.Variable), Is.EqualTo(new[] { "g_total" }));
        var loop = Loops("-fno-strict-aliasing")["sum_and_copy"];
        Assert.That(loop.Parallelizable, Is.False, "a store through `out` may change `g_total` when aliasing across types is defined");
        Assert.That(loop.Reason, Does.Contain("g_total"));
    }

    [Test]
    public void The_last_of_the_two_flags_decides()
    {
        Assert.That(ClangParser.StrictAliasing(["-O2"]), Is.True);
        Assert.That(ClangParser.StrictAliasing(["-O2", "-fno-strict-aliasing"]), Is.False);
        Assert.That(ClangParser.StrictAliasing(["-fno-strict-aliasing", "-fstrict-aliasing"]), Is.True);
        var loop = Loops("-fno-strict-aliasing", "-fstrict-aliasing")["narrow_diff"];
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
        Assert.That(loop.RuntimeCheck, Is.Null);
    }

    [TestCase("same_type_diff")]
    [TestCase("bytes_to_words")]
    public void Loops_the_types_never_decided_keep_their_check_under_either_rule(string function)
    {
        var strict = Loops()[function];
        var loose = Loops("-fno-strict-aliasing")[function];
        Assert.That(strict.RuntimeCheck, Is.Not.Null, strict.Reason);
        Assert.That(loose.RuntimeCheck, Is.EqualTo(strict.RuntimeCheck));
    }
}
