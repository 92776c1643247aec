namespace ParaSlm.Validation;

/// <summary>What a confirmation found: whether the difference stands, and the sentence for the verdict.</summary>
public sealed record Confirmation(bool Confirmed, string Text);

/// <summary>One confirmation's finding, kept in the memo so that every verdict (and the MSBuild stepper's replay) says it.</summary>
/// <param name="Variant">The variant whose probe (or `final`, the final program) showed the difference.</param>
public sealed record ConfirmationNote(string Variant, string Test, string Text);

/// <summary>
/// Confirms an output difference before any loop is blamed for it. Two reference runs can print a line alike by chance
/// (PolyBench's bare kernel time `0.000032`, twice) and a parallel run differently; that line varies by itself. So when a
/// run differs on lines the reference printed alike so far, the serial reference program runs again (fresh runs, at most
/// <see cref="RunsPerConfirmation"/> per difference and <see cref="RunsPerTest"/> per test); the lines it now prints
/// differently join the lines no run is judged by, and only a difference on other lines stands.
/// </summary>
/// <remarks>
/// The fresh runs are of the serial build, which is built already and shares no tree with the probes: re-running a
/// variant's own reference would mean rebuilding its tree twice (reference, then the probe again). A line is matched to a
/// variant reference's line by number only where both outputs have the same shape (<see cref="OutputComparer.SameShape"/>).
/// The learned lines live in <see cref="ProbeMemo.Varying"/>: later probes, bisection steps and the final check use them,
/// and a probe recorded before is judged again with them (<see cref="ProbeRecord.FailureWith"/>). Cost: nothing while
/// runs agree; a difference costs at most two runs of the serial program.
/// </remarks>
public sealed class DifferenceConfirmation(TestRunner runner, OutputComparer comparer, ProbeMemo memo,
    Func<CancellationToken, Task<IReadOnlyList<TestCase>>> serialTests, Action<string> progress)
{
    public const int RunsPerConfirmation = 2;
    public const int RunsPerTest = 6;

    private IReadOnlyList<TestCase>? _tests;

    /// <summary>
    /// The lines of <paramref name="referenceOutput"/> (a variant's reference or the serial one) known to vary by
    /// themselves: those the serial reference's two runs disagreed on and those fresh runs of it printed differently.
    /// </summary>
    public IReadOnlyCollection<int> VaryingFor(string test, string referenceOutput)
    {
        if (memo.Reference is null || !memo.Reference.TryGetValue(test, out var serial) || serial.OutputUnstable) return [];
        var lines = new HashSet<int>(serial.UnstableLines ?? []);
        if (memo.Varying.TryGetValue(test, out var learned)) lines.UnionWith(learned);
        if (lines.Count == 0) return [];
        return referenceOutput == serial.Output || comparer.SameShape(serial.Output, referenceOutput) ? lines : [];
    }

    /// <summary>
    /// Whether the difference of a run of <paramref name="test"/> on <paramref name="differing"/> (lines of
    /// <paramref name="referenceOutput"/>, none of them known to vary) stands after fresh runs of the serial reference.
    /// </summary>
    /// <param name="variant">Who saw it (a variant or `final`), for the note.</param>
    public async Task<Confirmation> ConfirmAsync(string variant, string test, string referenceOutput, IReadOnlyList<int> differing, CancellationToken cancel)
    {
        var serial = await SerialReferenceAsync(test, cancel);
        var lines = Describe(differing);
        if (serial is null)
            return Note(variant, test, new Confirmation(true, $"difference on {lines} kept: the serial reference has no test {test} to run again"));
        if (serial.OutputUnstable || !(referenceOutput == serial.Output || comparer.SameShape(serial.Output, referenceOutput)))
            return Note(variant, test, new Confirmation(true, $"difference on {lines} kept: the serial reference's output does not line up with this reference's, so a fresh run of it cannot tell"));
        var before = VaryingFor(test, referenceOutput);
        var explained = differing.Where(before.Contains).ToList();
        if (explained.Count == differing.Count)
            return Note(variant, test, new Confirmation(false, $"difference not confirmed: the serial reference printed {lines} differently in its own runs"));
        var case_ = _tests!.First(t => t.Name == test);
        var done = memo.FreshRuns.GetValueOrDefault(test);
        var ran = 0;
        var found = new List<string>();
        while (ran < RunsPerConfirmation && done + ran < RunsPerTest && differing.Any(l => !VaryingFor(test, referenceOutput).Contains(l)))
        {
            ran++;
            progress($"{variant}: test {test} differs on {lines} that its reference printed alike so far; running the serial reference again to confirm ({ran}/{RunsPerConfirmation})");
            var fresh = await runner.FreshRunAsync(case_, done + ran, cancel);
            if (fresh.ExitCode != serial.ExitCode) continue;
            var varying = comparer.UnstableLines(serial.Output, fresh.Output).ToList();
            if (!comparer.SameShape(serial.Output, fresh.Output))
            {
                // The program's output changes shape by itself: none of these lines can be judged.
                varying = differing.ToList();
                found.Add("a different number of lines");
            }
            var added = varying.Except(memo.Varying.GetValueOrDefault(test) ?? []).Except(serial.UnstableLines ?? []).ToList();
            if (added.Count > 0)
            {
                (memo.Varying.TryGetValue(test, out var list) ? list : memo.Varying[test] = []).AddRange(added);
                memo.Varying[test].Sort();
                found.AddRange(added.Where(differing.Contains).Select(l =>
                    $"line {l} as \"{OutputComparer.LineAt(fresh.Output, l)}\" (before: \"{OutputComparer.LineAt(serial.Output, l)}\")"));
            }
        }
        memo.FreshRuns[test] = done + ran;
        var now = VaryingFor(test, referenceOutput);
        var standing = differing.Where(l => !now.Contains(l)).ToList();
        if (standing.Count == 0)
            return Note(variant, test, new Confirmation(false, $"difference not confirmed: the serial reference printed {lines} differently in a fresh run " +
                $"({string.Join("; ", found.Count > 0 ? found : ["in its own runs"])}), so {(differing.Count == 1 ? "it varies" : "they vary")} by itself and is no longer compared"));
        var text = ran == 0
            ? $"difference confirmed on {Describe(standing)} (the serial reference already ran {done + 2} times, the most a confirmation runs it)"
            : $"difference confirmed on {Describe(standing)}: {ran} fresh run(s) of the serial reference printed {(standing.Count == 1 ? "it" : "them")} as before";
        return Note(variant, test, new Confirmation(true, text));
    }

    private Confirmation Note(string variant, string test, Confirmation c)
    {
        memo.Confirmations.Add(new ConfirmationNote(variant, test, c.Text));
        progress($"{variant}: test {test}: {c.Text}");
        return c;
    }

    private async Task<ReferenceRun?> SerialReferenceAsync(string test, CancellationToken cancel)
    {
        _tests ??= await serialTests(cancel);
        if (memo.Reference is null)
        {
            if (_tests.Count == 0) return null;
            memo.Reference = await runner.ReferenceAsync(_tests, cancel);
        }
        return _tests.Any(t => t.Name == test) && memo.Reference.TryGetValue(test, out var r) ? r : null;
    }

    private static string Describe(IReadOnlyList<int> lines) => lines.Count == 1 ? $"line {lines[0]}" : $"lines {string.Join(", ", lines)}";
}
