using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Flattened 2-D subscripts `q * s + r` whose row length `s` is a run-time value unrelated to the loop bounds (issue 11/14,
/// found on CloverLeaf: 420 of 424 loops serial, `pressure(i, j)` of `data[j + i * sizeY]` "may write the same element"):
/// the rows are split under a run-time check that the remainders a loop forms span less than a row, written in
/// `long long` over values no store of the loop can change; different buffers keep their overlap checks, on the `data`
/// pointers an inlined accessor loads. Fixtures: corpus `c/flattened_rows.c` and `cpp/buffer2d.cpp`.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class RowLengthCheckTests : SourceAnalyzerFixture
{
    private FileAnalysis _c = null!;
    private FileAnalysis _cpp = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        var c = Path.Combine(CorpusFiles.Root, "c", "flattened_rows.c");
        var cpp = Path.Combine(CorpusFiles.Root, "cpp", "buffer2d.cpp");
        _c = Analyzer.Analyze(c, CorpusFiles.ArgumentsFor(c));
        _cpp = Analyzer.Analyze(cpp, CorpusFiles.ArgumentsFor(cpp));
        foreach (var l in _c.Loops.Concat(_cpp.Loops)) TestContext.Out.WriteLine(Support.SnippetAnalyzer.Describe(l));
    }

    private static LoopFacts Outer(FileAnalysis a, string function) => a.Loops.Where(l => l.Function == function).MinBy(l => l.Line)!;

    private static LoopFacts Inner(FileAnalysis a, string function) => a.Loops.Where(l => l.Function == function).MaxBy(l => l.Line)!;

    [Test]
    public void A_row_length_unrelated_to_the_bounds_is_checked_in_long_long_before_the_loop()
    {
        var scale = Outer(_c, "scale_rows");
        Assert.That(scale.Parallelizable, Is.True, scale.Reason);
        Assert.That(scale.RuntimeCheck, Is.EqualTo("(long long)m - n <= 0"), "the columns 0..m-1 fit in a row of n");
        Assert.That(scale.SubscriptAssumptions, Is.EqualTo(new[] { "(long long)m - n <= 0" }));
        Assert.That(scale.Reason, Is.EqualTo("parallel if every flattened subscript stays within its row: check (long long)m - n <= 0"));
        Assert.That(scale.Evidence, Has.Some.Contains("flattened subscripts `q * s + r` are split into rows (q, r)"));
        // A size_t row length is widened before the subtraction: 0 - 1 is -1 there, not SIZE_MAX.
        Assert.That(Outer(_c, "fill_rows").RuntimeCheck, Is.EqualTo("cols - (long long)n <= 0"));
    }

    [Test]
    public void A_stencil_needs_only_the_written_rows_to_span_less_than_a_row()
    {
        // out[i*stride + j] for j in 1..m-2: a span of m-3 columns, at most stride-1.
        var smooth = Outer(_c, "smooth_rows");
        Assert.That(smooth.Parallelizable, Is.True, smooth.Reason);
        Assert.That(smooth.RuntimeCheck, Is.EqualTo("(long long)m - stride <= 2"));
    }

    [Test]
    public void A_row_length_the_loop_writes_or_its_stores_may_reach_keeps_the_loop_serial()
    {
        Assert.That(Outer(_c, "ragged_rows").Parallelizable, Is.False, "n = len[i] changes the row length per iteration");
        Assert.That(Outer(_c, "shifted_rows").Parallelizable, Is.False, "the column shift[j] is read from memory");
        Assert.That(Outer(_c, "global_stride_rows").Parallelizable, Is.False, "int stores through `a` may overwrite the global int row length");
        var doubles = Outer(_c, "global_stride_doubles");
        Assert.That(doubles.Parallelizable, Is.True, "a double store cannot change an int: " + doubles.Reason);
        Assert.That(doubles.RuntimeCheck, Is.EqualTo("-(long long)g_stride + m <= 0"));
        Assert.That(Outer(_cpp, "resize_rows").Parallelizable, Is.False, "`a.sizeY = w` inside the loop");
        Assert.That(Outer(_cpp, "resize_rows").Reason, Does.Contain("`a.sizeY`"));
        Assert.That(Outer(_cpp, "count_rows").Parallelizable, Is.False, "size_t stores through `data` may change `sizeY` itself");
        Assert.That(Outer(_cpp, "count_rows").Reason, Does.Contain("`a(i, j)` at line"));
        Assert.That(Outer(_cpp, "scale_sealed").Parallelizable, Is.False, "a private row length cannot be named at the loop's site");
    }

    [Test]
    public void An_inlined_accessors_row_length_is_named_as_the_loops_site_writes_it()
    {
        var scale = Outer(_cpp, "scale");
        Assert.That(scale.Parallelizable, Is.True, scale.Reason);
        Assert.That(scale.RuntimeCheck, Is.EqualTo("-(long long)a.sizeY + ny <= 0"));
        // The inner loop, which runs once per row, gets the same check over the enclosing row counter's range.
        Assert.That(Inner(_cpp, "scale").RuntimeCheck, Is.EqualTo("-(long long)a.sizeY + ny <= 0"));
    }

    [Test]
    public void Different_buffers_keep_their_overlap_checks_on_the_loaded_data_pointers()
    {
        var gas = Outer(_cpp, "ideal_gas");
        Assert.That(gas.Parallelizable, Is.True, gas.Reason);
        Assert.That(gas.Reason, Does.StartWith("parallel if the pointers do not overlap: check "));
        var check = gas.RuntimeCheck!;
        foreach (var pair in new[] { ("density", "pressure"), ("density", "soundspeed"), ("energy", "pressure"), ("energy", "soundspeed"), ("pressure", "soundspeed") })
            Assert.That(check, Does.Contain($"(const char *)({pair.Item1}.data + ").And.Contain($"(const char *)({pair.Item2}.data + "), pair.ToString());
        Assert.That(check.Split("|| (const char *)").Length - 1, Is.EqualTo(5), "five pairs with a written buffer; density and energy are only read");
        Assert.That(check, Does.Contain("-(long long)pressure.sizeY + y_max - y_min <= -1"));
        Assert.That(check, Does.Contain("-(long long)soundspeed.sizeY + y_max - y_min <= -1"));
        Assert.That(gas.SubscriptAssumptions, Has.Count.EqualTo(2), "only the written buffers' rows must be told apart");
    }

    [Test]
    public void A_transposed_copy_checks_its_rows_and_its_pointers()
    {
        var t = Outer(_cpp, "transpose");
        Assert.That(t.Parallelizable, Is.True, t.Reason);
        Assert.That(t.RuntimeCheck, Does.EndWith("(cols - (long long)n <= 0)"));
        Assert.That(t.RuntimeCheck, Does.Contain("<= out ||"));
    }

    [Test]
    public void An_inner_loops_row_check_is_implied_only_by_the_same_condition_outside()
    {
        var outer = Outer(_cpp, "scale");
        var inner = Inner(_cpp, "scale");
        Assert.That(ScalarExpanding.CheckImplied(outer, inner), Is.True, "the same condition on the same invariant values");
        var weaker = outer with { SubscriptAssumptions = ["-(long long)a.sizeY + ny <= 1"], RuntimeCheck = "-(long long)a.sizeY + ny <= 1" };
        Assert.That(ScalarExpanding.CheckImplied(weaker, inner), Is.False, "ny - sizeY <= 1 does not give ny - sizeY <= 0");
        var stronger = outer with { SubscriptAssumptions = ["-(long long)a.sizeY + ny <= -3"], RuntimeCheck = "-(long long)a.sizeY + ny <= -3" };
        Assert.That(ScalarExpanding.CheckImplied(stronger, inner), Is.True);
        var unparsable = outer with { SubscriptAssumptions = ["ny < (long long)a.sizeY"], RuntimeCheck = "ny < (long long)a.sizeY" };
        Assert.That(ScalarExpanding.CheckImplied(unparsable, inner), Is.False, "a form other than EXPR OP CONSTANT fails closed");
    }

    [Test]
    public void A_remainder_proven_below_the_row_from_a_running_loop_needs_no_check()
    {
        // accessors.cpp: `d.bc(j * E)` over j < E — the loop runs only when E >= 1, so 0 <= E - 1 holds already.
        var file = Path.Combine(CorpusFiles.Root, "cpp", "accessors.cpp");
        var bc = Analyzer.Analyze(file, CorpusFiles.ArgumentsFor(file)).Loops.Single(l => l.Function == "boundary" && l.Line == 49);
        Assert.That(bc.Parallelizable, Is.True, bc.Reason);
        Assert.That(bc.RuntimeCheck, Is.Null);
    }
}
