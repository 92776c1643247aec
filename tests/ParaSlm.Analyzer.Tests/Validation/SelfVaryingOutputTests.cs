using ParaSlm.Validation;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>What a program prints by itself — a test runner's durations, clock times — is never compared, and is reported.</summary>
[TestFixture]
[Category("Unit")]
public sealed class SelfVaryingOutputTests
{
    private static readonly OutputComparer Comparer = OutputComparer.Create(null, null);

    [TestCase("  1/3 Test  #1: fft_f32 ..........................   Passed    0.01 sec", "  1/3 Test  #1: fft_f32 ..........................   Passed    0.35 sec")]
    [TestCase("6/6 Test #6: tr ...............................   Passed    9.30 sec", "6/6 Test #6: tr ...............................   Passed   10.30 sec")]
    [TestCase("[       OK ] Fft.Forward (3 ms)", "[       OK ] Fft.Forward (117 ms)")]
    [TestCase("[==========] 4 tests from 1 test suite ran. (12 ms total)", "[==========] 4 tests from 1 test suite ran. (40 ms total)")]
    [TestCase("Ran 4 tests in 0.002s", "Ran 4 tests in 1.250s")]
    [TestCase("========== 3 passed, 1 skipped in 0.12s ==========", "========== 3 passed, 1 skipped in 4.70s ==========")]
    [TestCase("checkpoint written 2026-12-05 08:07:40", "checkpoint written 2026-12-05 08:09:02")]
    [TestCase("10000 complex ffts took 0s, real took 0s", "10000 complex ffts took 2s, real took 1s")]
    [TestCase("solved in 12.5 ms", "solved in 80 ms")]
    public void A_test_runners_own_timing_is_compared_without_its_duration(string serial, string parallel)
    {
        Assert.That(Comparer.Compare(serial + "\nresult: 42\n", parallel + "\nresult: 42\n").Difference, Is.Null);
        Assert.That(Comparer.Ignored("t", serial + "\n", null).Single().Reason, Does.Contain("compared without"));
    }

    [Test]
    public void A_test_that_ctest_reports_failed_still_differs_from_one_that_passed()
    {
        var passed = "  1/3 Test  #1: fft_f32 ..........................   Passed    0.01 sec\n";
        var failed = "  1/3 Test  #1: fft_f32 ..........................***Failed    0.02 sec\n";
        Assert.That(Comparer.Compare(passed, failed).Difference, Does.Contain("Failed"));
        Assert.That(Comparer.Compare("  1/3 Test  #1: fft_f32 ... Passed 0.01 sec\n", "  1/3 Test  #1: fft_f64 ... Passed 0.01 sec\n").Difference, Is.Not.Null,
            "the test's name is still compared");
    }

    [Test]
    public void Numbers_without_a_unit_of_time_are_still_compared()
    {
        Assert.That(Comparer.Compare("10000 complex ffts\n", "9999 complex ffts\n").Difference, Is.Not.Null);
        Assert.That(Comparer.Compare("3 steps, 5 sums\n", "3 steps, 6 sums\n").Difference, Is.Not.Null);
    }

    [Test]
    public void Ignored_lines_are_listed_with_their_reason()
    {
        var output = "seed 1733385600\nresult: 42\nelapsed: 0.3 s\n";
        var ignored = Comparer.Ignored("app", output, [1]);
        Assert.That(ignored.Select(i => (i.Line, i.Text)), Is.EqualTo(new[] { (1, "seed 1733385600"), (3, "elapsed: 0.3 s") }));
        Assert.That(ignored[0].Reason, Does.Contain("differs between two runs of the reference"));
        Assert.That(ignored[1].Reason, Does.Contain("ParaSlmValidateIgnore"));
        Assert.That(ignored[0].ToString(), Is.EqualTo("app line 1 \"seed 1733385600\": differs between two runs of the reference program (a clock, an address or a random seed)"));
    }

    [Test]
    public void Outputs_with_a_different_number_of_lines_do_not_have_the_same_shape()
    {
        Assert.That(Comparer.SameShape("a\nb\n", "a\nb\n"), Is.True);
        Assert.That(Comparer.SameShape("a\nb\n", "a\nb\nc\n"), Is.False);
        Assert.That(Comparer.SameShape("a\ntime 3\nb\n", "a\nb\n"), Is.False, "an ignored line still counts for the numbering");
    }
}
