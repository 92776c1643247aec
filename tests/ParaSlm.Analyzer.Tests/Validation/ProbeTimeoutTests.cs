using ParaSlm.Validation;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>
/// How a probe's runs are judged when one ran out of time (issue #13: never cry wolf under load): a timeout alone is a
/// failure of its own kind, which blames no loop; a race or a difference seen in the same probe is still what fails it.
/// </summary>
[TestFixture]
public sealed class ProbeTimeoutTests
{
    private static readonly HashSet<string> NoneKnown = [];

    private static RunRecord Run(int threads, bool timedOut = false, string? difference = null, SanitizerFinding? finding = null) =>
        new("t", threads, timedOut ? -1 : 0, timedOut, timedOut ? 600 : 1, difference, 0, finding is null ? [] : [finding]);

    [Test]
    public void A_probe_that_only_timed_out_fails_as_a_timeout()
    {
        var probe = new ProbeRecord("tsan", ["a.c:3"], null, [Run(2), Run(4, timedOut: true)], 610);
        var failure = probe.FailureWith(NoneKnown);
        Assert.That(failure, Is.Not.Null);
        Assert.That(failure!.TimedOut, Is.True);
        Assert.That(failure.Evidence, Is.EqualTo("test t timed out after 600 s with 4 threads"));
    }

    [Test]
    public void A_race_found_before_or_in_a_timed_out_run_is_the_failure_not_the_timeout()
    {
        var race = new SanitizerFinding("tsan", "sig", "ThreadSanitizer: data race", "excerpt");
        var inTheSameRun = new ProbeRecord("tsan", ["a.c:3"], null, [Run(2, timedOut: true, finding: race)], 600);
        Assert.That(inTheSameRun.FailureWith(NoneKnown)!.TimedOut, Is.False);
        Assert.That(inTheSameRun.FailureWith(NoneKnown)!.Finding, Is.EqualTo(race));

        var differs = new ProbeRecord("asan", ["a.c:3"], null, [Run(2, difference: "line 3: 1 vs 2"), Run(4, timedOut: true)], 600);
        Assert.That(differs.FailureWith(NoneKnown)!.TimedOut, Is.False);
        Assert.That(differs.FailureWith(NoneKnown)!.Evidence, Does.Contain("differs from the serial build"));
    }

    [Test]
    public void A_probe_whose_runs_all_finished_has_no_timeout_failure()
    {
        var probe = new ProbeRecord("tsan", ["a.c:3"], null, [Run(2), Run(4), Run(8)], 3);
        Assert.That(probe.FailureWith(NoneKnown), Is.Null);
    }
}
