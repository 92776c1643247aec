namespace ParaSlm.Validation;

/// <summary>
/// The serial build's reference as the final check compares with it: two serial runs can print a clock line alike by
/// chance (PolyBench's `0.000021` kernel time, twice), so a line on which a variant's reference (the same program, no
/// loop parallel) disagreed with itself varies by itself too, and the final program is not judged by it either.
/// </summary>
public static class FinalReference
{
    public static Dictionary<string, ReferenceRun> WithLinesVaryingInVariants(OutputComparer comparer, IReadOnlyDictionary<string, ReferenceRun> serial,
        IEnumerable<IReadOnlyDictionary<string, ReferenceRun>> variantReferences)
    {
        var variants = variantReferences.ToList();
        var merged = new Dictionary<string, ReferenceRun>(StringComparer.Ordinal);
        foreach (var (test, run) in serial)
        {
            // Line numbers name the same lines only where the two outputs have the same shape.
            var varying = variants
                .Select(v => v.TryGetValue(test, out var r) ? r : null)
                .Where(r => r is { OutputUnstable: false, UnstableLines.Count: > 0 } && comparer.SameShape(run.Output, r.Output))
                .SelectMany(r => r!.UnstableLines!)
                .Except(run.UnstableLines ?? [])
                .Distinct()
                .Order()
                .ToList();
            merged[test] = varying.Count == 0 ? run : run with
            {
                UnstableLines = (run.UnstableLines ?? []).Concat(varying).Order().ToList(),
                Ignored = (run.Ignored ?? []).Concat(varying.Select(line => new IgnoredLine(test, line, LineAt(run.Output, line),
                    "differs between two runs of a sanitizer build's reference program (a clock, an address or a random seed)"))).ToList(),
            };
        }
        return merged;
    }

    private static string LineAt(string output, int line)
    {
        var lines = output.Split('\n');
        return line >= 1 && line <= lines.Length ? lines[line - 1].TrimEnd('\r') : string.Empty;
    }
}
