using ParaSlm.Validation;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>The differential check's judgement of one output against the serial build's.</summary>
[TestFixture]
[Category("Unit")]
public sealed class OutputComparerTests
{
    private static readonly OutputComparer Default = OutputComparer.Create(null, null);

    [Test]
    public void Identical_outputs_are_equal_and_nothing_is_tolerated()
    {
        var c = Default.Compare("checksum: 42\nok\n", "checksum: 42\nok\n");
        Assert.That(c.Equal, Is.True);
        Assert.That(c.Tolerated, Is.Zero);
    }

    [Test]
    public void A_float_reduction_that_differs_in_the_last_digits_is_accepted_and_counted()
    {
        var c = Default.Compare("sum: 14.392726722864989\nchecksum: 3.2605819227e+08\n", "sum: 14.392726722865772\nchecksum: 3.2605819226e+08\n");
        Assert.That(c.Equal, Is.True, c.Difference);
        Assert.That(c.Tolerated, Is.EqualTo(2));
    }

    [Test]
    public void A_float_beyond_the_relative_tolerance_is_a_difference_that_names_the_line()
    {
        var c = Default.Compare("a\nsum: 14.3927\n", "a\nsum: 14.3935\n");
        Assert.That(c.Equal, Is.False);
        Assert.That(c.Difference, Does.StartWith("line 2:").And.Contain("14.3927").And.Contain("14.3935"));
    }

    [Test]
    public void Integers_must_be_exact_even_when_relatively_close()
    {
        Assert.That(Default.Compare("calls: 1000000000", "calls: 1000000001").Equal, Is.False);
    }

    [Test]
    public void The_tolerance_is_configurable()
    {
        Assert.That(OutputComparer.Create(1e-2, null).Compare("x 100.0", "x 100.5").Equal, Is.True);
        Assert.That(OutputComparer.Create(1e-9, null).Compare("x 100.0", "x 100.00001").Equal, Is.False);
    }

    [Test]
    public void Magnitudes_below_one_are_compared_absolutely()
    {
        // A sum that cancels to nearly zero has no meaningful relative error.
        Assert.That(Default.Compare("residual: 1.2e-12", "residual: -3.4e-13").Equal, Is.True);
        Assert.That(Default.Compare("p: 0.5", "p: 0.6").Equal, Is.False);
    }

    [Test]
    public void Timing_lines_are_ignored_by_default_and_the_pattern_can_be_changed()
    {
        Assert.That(Default.Compare("checksum: 1\ntime: 0.51 s\n", "checksum: 1\ntime: 0.17 s\n").Equal, Is.True);
        Assert.That(Default.Compare("Elapsed 3 ms\nr 1\n", "Elapsed 9 ms\nr 1\n").Equal, Is.True);
        Assert.That(OutputComparer.Create(null, "^threads:").Compare("threads: 1\ntime: 1\n", "threads: 8\ntime: 1\n").Equal, Is.True);
        Assert.That(OutputComparer.Create(null, string.Empty).Compare("time: 1\n", "time: 2\n").Equal, Is.False, "an empty pattern ignores nothing");
    }

    [Test]
    public void Missing_or_extra_lines_are_differences()
    {
        Assert.That(Default.Compare("a\nb\n", "a\n").Difference, Does.Contain("line 2").And.Contain("nothing more"));
        Assert.That(Default.Compare("a\n", "a\nb\n").Difference, Does.Contain("line 2"));
    }

    [Test]
    public void Digits_inside_words_are_text_and_line_endings_do_not_matter()
    {
        Assert.That(Default.Compare("kernel_3 x86 v2.0", "kernel_4 x86 v2.0").Equal, Is.False);
        Assert.That(Default.Compare("a 1.5\r\nb\r\n", "a 1.5\nb").Equal, Is.True);
    }

    [Test]
    public void Nan_and_infinity_compare_as_themselves()
    {
        Assert.That(Default.Compare("v nan", "v nan").Equal, Is.True);
        Assert.That(Default.Compare("v inf", "v -inf").Equal, Is.False);
        Assert.That(Default.Compare("v 1.0", "v nan").Equal, Is.False);
    }
    [Test]
    public void Lines_the_serial_program_prints_differently_on_two_runs_are_found_and_then_skipped()
    {
        // (A number with a unit of time, `done in 1532 us`, is never compared at all: see SelfVaryingOutputTests.)
        var first = "checksum: 42\nseed 1532\nptr 0x7ffd1a2b\nsum: 1.0000000001\n";
        var second = "checksum: 42\nseed 1611\nptr 0x7ffe9c10\nsum: 1.0000000002\n";
        var unstable = Default.UnstableLines(first, second);
        Assert.That(unstable, Is.EqualTo(new[] { 2, 3 }), "the seed and the address; the sum agrees within the tolerance");

        var parallel = "checksum: 42\nseed 804\nptr 0x7ffc0000\nsum: 1.0000000003\n";
        Assert.That(Default.Compare(first, parallel).Equal, Is.False, "without the skip list the seed line differs");
        Assert.That(Default.Compare(first, parallel, unstable).Equal, Is.True);
        Assert.That(Default.Compare(first, "checksum: 43\nseed 804\nptr 0x1\nsum: 1.0\n", unstable).Difference, Does.StartWith("line 1:"),
            "stable lines are still compared");
        Assert.That(Default.Compare(first, "checksum: 42\n", unstable).Equal, Is.False, "a skipped line must still be printed");
        Assert.That(Default.UnstableLines("a\nb\n", "a\n"), Is.Empty, "outputs that do not line up give no skip list");
    }
}
