using ParaSlm.Tests.Shared;
using ParaSlm.Validation;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>
/// A difference on lines the reference printed alike so far is confirmed by fresh runs of the serial reference, a real
/// program here: a shell script with a run counter that prints `tick: 0` in its first two runs and the run's number after.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class DifferenceConfirmationTests : TempFolderFixture
{
    private (DifferenceConfirmation Confirm, ProbeMemo Memo, List<string> Progress) Make()
    {
        const string script = "c=$(cat runs 2>/dev/null || echo 0); echo $((c + 1)) > runs; echo 'result: 42'; if [ $c -lt 2 ]; then echo 'tick: 0'; else echo \"tick: $c\"; fi";
        var test = new TestCase("t", "/bin/sh", ["-c", script], Dir, new Dictionary<string, string?>());
        var progress = new List<string>();
        var comparer = OutputComparer.Create(null, null);
        var runner = new TestRunner(new ValidationOptions(), comparer, progress.Add);
        var memo = new ProbeMemo();
        return (new DifferenceConfirmation(runner, comparer, memo, _ => Task.FromResult<IReadOnlyList<TestCase>>([test]), progress.Add), memo, progress);
    }

    [Test]
    public async Task A_line_a_fresh_reference_run_prints_differently_joins_the_varying_lines_and_the_difference_is_not_confirmed()
    {
        var (confirm, memo, progress) = Make();
        // The reference is made on demand: two runs, `tick: 0` both times.
        var c = await confirm.ConfirmAsync("asan", "t", "result: 42\ntick: 0\n", [2], CancellationToken.None);
        Assert.That(c.Confirmed, Is.False);
        Assert.That(c.Text, Is.EqualTo("difference not confirmed: the serial reference printed line 2 differently in a fresh run " +
            "(line 2 as \"tick: 2\" (before: \"tick: 0\")), so it varies by itself and is no longer compared"));
        Assert.That(memo.Reference!["t"].UnstableLines, Is.Null, "the reference's own two runs agreed");
        Assert.That(memo.Varying["serial|t"], Is.EqualTo(new[] { 2 }));
        Assert.That(memo.FreshRuns["serial|t"], Is.EqualTo(1), "one fresh run was enough");
        Assert.That(confirm.VaryingFor("t", "result: 42\ntick: 0\n"), Is.EquivalentTo(new[] { 2 }));
        Assert.That(confirm.VaryingFor("t", "result: 42\n"), Is.Empty, "another shape: line numbers name other lines");
        Assert.That(memo.Confirmations.Single().Variant, Is.EqualTo("asan"));
        Assert.That(progress, Has.Some.Contains("running the serial reference again to confirm"));
    }

    [Test]
    public async Task A_line_the_reference_keeps_printing_alike_is_confirmed_after_at_most_two_fresh_runs_and_the_runs_are_bounded()
    {
        var (confirm, memo, _) = Make();
        var c = await confirm.ConfirmAsync("tsan", "t", "result: 42\ntick: 0\n", [1], CancellationToken.None);
        Assert.That(c.Confirmed, Is.True);
        Assert.That(c.Text, Is.EqualTo("difference confirmed on line 1: 2 fresh run(s) of the serial reference printed it as before"));
        Assert.That(memo.FreshRuns["serial|t"], Is.EqualTo(2));
        Assert.That(memo.Varying["serial|t"], Is.EqualTo(new[] { 2 }), "what the fresh runs showed about other lines is kept");
        // Known to vary now: explained without running anything.
        var known = await confirm.ConfirmAsync("tsan", "t", "result: 42\ntick: 0\n", [2], CancellationToken.None);
        Assert.That(known.Confirmed, Is.False);
        Assert.That(memo.FreshRuns["serial|t"], Is.EqualTo(2));
        for (var i = 0; i < 3; i++) await confirm.ConfirmAsync("tsan", "t", "result: 42\ntick: 0\n", [1], CancellationToken.None);
        Assert.That(memo.FreshRuns["serial|t"], Is.EqualTo(DifferenceConfirmation.RunsPerTest), "bounded per test");
        Assert.That((await confirm.ConfirmAsync("tsan", "t", "result: 42\ntick: 0\n", [1], CancellationToken.None)).Text, Does.Contain("the most a confirmation runs it"));
    }
}
