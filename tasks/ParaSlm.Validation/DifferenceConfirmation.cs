namespace ParaSlm.Validation;

/// <summary>What a confirmation found: whether the difference stands, and the sentence for the verdict.</summary>
public sealed record Confirmation(bool Confirmed, string Text);

/// <summary>One confirmation's finding, kept in the memo so that every verdict (and the MSBuild stepper's replay) says it.</summary>
/// <param name="Variant">The variant whose probe (or `final`, the final program) showed the difference.</param>
public sealed record ConfirmationNote(string Variant, string Test, string Text);

/// <summary>
/// How a variant's own reference is run again in the middle of a probe: its tree is rebuilt with no loop parallel
/// (<see cref="Reference"/>, which returns its tests), and afterwards with the probe's loops again (<see cref="Restore"/>),
/// so that the probe's remaining runs run the probe.
/// </summary>
public sealed record ReferenceRebuild(Func<CancellationToken, Task<IReadOnlyList<TestCase>>> Reference, Func<CancellationToken, Task> Restore,
    IReadOnlyDictionary<string, string?> Environment);

/// <summary>
/// Confirms an output difference before any loop is blamed for it. Two reference runs can print a line alike by chance
/// (PolyBench's bare kernel time `0.000031`, twice) and a parallel run differently; that line varies by itself. So when a
/// run differs on lines the reference printed alike so far, the reference runs again (fresh runs, at most
/// <see cref="RunsPerConfirmation"/> per difference and <see cref="RunsPerTest"/> per test and reference); the lines it
/// now prints differently join the lines no run is judged by, and only a difference on other lines stands.
/// </summary>
/// <remarks>
/// For a variant's probe the reference is that variant's own build with no loop parallel (<see cref="ReferenceRebuild"/>:
/// two incremental builds of the rewritten sources per confirmation): its timings are the sanitizer's, which the serial
/// build's are not — on PolyBench the serial build printed gesummv's time alike four times while the ASan reference varied.
/// Where a build cannot be made in the middle of a probe (the MSBuild stepper) and for the final program, the serial
/// build runs again (built already, in a tree of its own). A line is matched between two references' outputs by number
/// only where they have the same shape (<see cref="OutputComparer.SameShape"/>). The learned lines live in
/// <see cref="ProbeMemo.Varying"/>: later probes, bisection steps and the final check use them, and a probe recorded
/// before is judged again with them (<see cref="ProbeRecord.FailureWith"/>). Nothing runs while runs agree.
/// </remarks>
public sealed class DifferenceConfirmation(TestRunner runner, OutputComparer comparer, ProbeMemo memo,
    Func<CancellationToken, Task<IReadOnlyList<TestCase>>> serialTests, Action<string> progress)
{
    public const int RunsPerConfirmation = 2;
    public const int RunsPerTest = 6;
    private const string Serial = "serial";

    private IReadOnlyList<TestCase>? _tests;

    /// <summary>
    /// The lines of <paramref name="referenceOutput"/> (a variant's reference or the serial one) known to vary by
    /// themselves: those the serial reference's two runs disagreed on, and those a fresh run of any reference printed
    /// differently (where that reference's output has the same shape).
    /// </summary>
    public IReadOnlyCollection<int> VaryingFor(string test, string referenceOutput)
    {
        var lines = new HashSet<int>();
        bool Lines(string? output) => output is not null && (output == referenceOutput || comparer.SameShape(output, referenceOutput));
        if (memo.Reference is not null && memo.Reference.TryGetValue(test, out var serial) && !serial.OutputUnstable && Lines(serial.Output))
            lines.UnionWith(serial.UnstableLines ?? []);
        foreach (var (key, learned) in memo.Varying)
        {
            var bar = key.IndexOf('|');
            if (bar < 0 || key[(bar + 1)..] != test) continue;
            if (Lines(BaseOutput(key[..bar], test))) lines.UnionWith(learned);
        }
        return lines;
    }

    private string? BaseOutput(string source, string test) => source == Serial
        ? memo.Reference is not null && memo.Reference.TryGetValue(test, out var s) ? s.Output : null
        : memo.VariantReferences.TryGetValue(source, out var v) && v.TryGetValue(test, out var r) ? r.Output : null;

    /// <summary>
    /// Whether the difference of a run of <paramref name="test"/> on <paramref name="differing"/> (lines of
    /// <paramref name="referenceOutput"/>, none of them known to vary) stands after fresh runs of the reference.
    /// </summary>
    /// <param name="variant">Who saw it (a variant or `final`), for the note.</param>
    /// <param name="rebuild">How to run the variant's own reference again; null: the serial build runs again.</param>
    public async Task<Confirmation> ConfirmAsync(string variant, string test, string referenceOutput, IReadOnlyList<int> differing,
        CancellationToken cancel, ReferenceRebuild? rebuild = null)
    {
        var lines = Describe(differing);
        var before = VaryingFor(test, referenceOutput);
        if (differing.All(before.Contains))
            return Note(variant, test, new Confirmation(false, $"difference not confirmed: the reference printed {lines} differently in its own runs"));
        string key, what, baseOutput;
        int baseExit;
        if (rebuild is not null)
        {
            (key, what, baseOutput) = (variant, $"the {variant} reference (no loop parallel)", referenceOutput);
            baseExit = memo.VariantReferences.TryGetValue(variant, out var v) && v.TryGetValue(test, out var vr) ? vr.ExitCode : 0;
        }
        else
        {
            var serial = await SerialReferenceAsync(test, cancel);
            if (serial is null)
                return Note(variant, test, new Confirmation(true, $"difference on {lines} kept: the serial reference has no test {test} to run again"));
            if (serial.OutputUnstable || !(referenceOutput == serial.Output || comparer.SameShape(serial.Output, referenceOutput)))
                return Note(variant, test, new Confirmation(true, $"difference on {lines} kept: the serial reference's output does not line up with this reference's, so a fresh run of it cannot tell"));
            (key, what, baseOutput, baseExit) = (Serial, "the serial reference", serial.Output, serial.ExitCode);
        }
        var counter = key + "|" + test;
        var done = memo.FreshRuns.GetValueOrDefault(counter);
        var ran = 0;
        var found = new List<string>();
        TestCase? fresh = null;
        var rebuilt = false;
        try
        {
            while (ran < RunsPerConfirmation && done + ran < RunsPerTest && differing.Any(l => !VaryingFor(test, referenceOutput).Contains(l)))
            {
                if (fresh is null)
                {
                    progress($"{variant}: test {test} differs on {lines} that its reference printed alike so far; running {what} again to confirm");
                    rebuilt = rebuild is not null;
                    var tests = rebuild is not null ? await rebuild.Reference(cancel) : _tests!;
                    fresh = tests.FirstOrDefault(t => t.Name == test);
                    if (fresh is null)
                        return Note(variant, test, new Confirmation(true, $"difference on {lines} kept: {what} could not be built and run again"));
                }
                ran++;
                var run = await runner.FreshRunAsync(fresh, done + ran, rebuild?.Environment, cancel);
                if (run.ExitCode != baseExit) continue;
                var varying = comparer.UnstableLines(baseOutput, run.Output).ToList();
                if (!comparer.SameShape(baseOutput, run.Output))
                {
                    // The program's output changes shape by itself: none of these lines can be judged.
                    varying = differing.ToList();
                    found.Add("a different number of lines");
                }
                var list = memo.Varying.TryGetValue(counter, out var known) ? known : memo.Varying[counter] = [];
                var added = varying.Except(list).ToList();
                list.AddRange(added);
                list.Sort();
                found.AddRange(added.Where(differing.Contains).Select(l =>
                    $"line {l} as \"{OutputComparer.LineAt(run.Output, l)}\" (before: \"{OutputComparer.LineAt(baseOutput, l)}\")"));
            }
        }
        finally
        {
            // The probe's remaining runs must run the probe.
            if (rebuilt) await rebuild!.Restore(cancel);
        }
        memo.FreshRuns[counter] = done + ran;
        var now = VaryingFor(test, referenceOutput);
        var standing = differing.Where(l => !now.Contains(l)).ToList();
        if (standing.Count == 0)
            return Note(variant, test, new Confirmation(false, $"difference not confirmed: {what} printed {lines} differently in a fresh run " +
                $"({string.Join("; ", found.Count > 0 ? found : ["in its own runs"])}), so {(differing.Count == 1 ? "it varies" : "they vary")} by itself and is no longer compared"));
        var text = ran == 0
            ? $"difference confirmed on {Describe(standing)} ({what} already ran {done} more time(s), the most a confirmation runs it)"
            : $"difference confirmed on {Describe(standing)}: {ran} fresh run(s) of {what} printed {(standing.Count == 1 ? "it" : "them")} as before";
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
