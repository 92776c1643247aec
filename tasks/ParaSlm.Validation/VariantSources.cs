using ParaSlm.Analyzer.Generation;
using ParaSlm.Engine;

namespace ParaSlm.Validation;

/// <summary>
/// Writes a variant's sources for one subset of the applied loops: every source the engine rewrote gets a copy in the
/// variant's folder carrying only the subset's edits (made by <see cref="SourceRewriter"/> from the edits the engine
/// recorded), plus the source map for the CMake inject script and the outputs table the MSBuild swap reads.
/// </summary>
/// <remarks>
/// The map always lists every rewritten source, even one whose copy has no edit in this subset: probes then differ only
/// in file contents, so each rebuild recompiles the files that changed and never re-runs CMake's configure.
/// </remarks>
public static class VariantSources
{
    /// <exception cref="ValidationException">A source changed since the engine rewrote it (its recorded offsets are stale).</exception>
    public static void Write(string variantDir, IReadOnlyList<ValidationLoop> allLoops, IReadOnlyList<ValidationLoop> subset, IReadOnlyDictionary<string, string?> textHashes)
    {
        var chosen = subset.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        var map = new List<KeyValuePair<string, string>>();
        var rows = new List<EngineOutput>();
        foreach (var group in allLoops.GroupBy(l => l.File, StringComparer.Ordinal))
        {
            var file = group.Key;
            var text = File.ReadAllText(file);
            if (textHashes.TryGetValue(file, out var expected) && expected is not null && EngineState.TextHashOf(text) != expected)
                throw new ValidationException("PSLM5006", $"{file} changed since ParaSlm rewrote it; build again so that validation checks the current code");
            var edits = group.Where(l => chosen.Contains(l.Id))
                .Select(l => new LoopEdit(l.Loop.Line, l.Loop.Column, l.Loop.StartOffset, l.Loop.EndOffset, l.Loop.Directive, l.Loop.RuntimeCheck, l.Loop.Id) { Maps = l.Loop.Maps, Matmul = l.Loop.Matmul, Sink = l.Loop.Sink, SinkDirectives = l.Loop.SinkDirectives, Hoist = l.Loop.Hoist, HoistDirectives = l.Loop.HoistDirectives })
                .ToList();
            var options = group.First().Loop.RewriteOptions;
            var result = SourceRewriter.Rewrite(file, text, edits, options);
            var output = ApplyEngine.OutputPathFor(variantDir, file);
            AtomicFile.WriteIfChanged(output, result.Changed ? result.Text : SourceRewriter.Unedited(file, text, options));
            map.Add(new KeyValuePair<string, string>(file, output));
            rows.Add(new EngineOutput(file, output, EngineOutputs.Rewritten, group.Count(), result.Outcomes.Count(o => o.Applied)));
        }
        AtomicFile.WriteIfChanged(Path.Combine(variantDir, EngineOutputs.FileName), EngineOutputs.Format(rows));
        AtomicFile.WriteIfChanged(Path.Combine(variantDir, SourceMap.FileName), SourceMap.Format(map, "paraslm validate"));
    }
}
