using ParaSlm.Analyzer.Generation;
using ParaSlm.Engine;

namespace ParaSlm.Engine.Reporting;

/// <summary>
/// One loop's rewrite on its own: its unified diff and the smallest whole-line replacement that makes it
/// (original lines [<see cref="FirstLine"/>, <see cref="FirstLine"/> + <see cref="DeletedLines"/>) become <see cref="Inserted"/>).
/// </summary>
/// <param name="LastLineLength">Length of the original's last line (without its line end): where a replacement that
/// reaches the end of the file stops.</param>
public sealed record LoopChange(string Diff, int FirstLine, int DeletedLines, string Inserted, int LineCount, int LastLineLength);

/// <summary>
/// Rebuilds each applied loop's edit alone from what the engine recorded (the same way validation builds its probes),
/// so every loop in the reports carries exactly its own change.
/// </summary>
public static class LoopChanges
{
    /// <summary>file → loop id → change. A source whose text changed since its rewrite (stale offsets) has none.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, LoopChange>> For(IEnumerable<SourceRecord> records, string root)
    {
        var all = new Dictionary<string, IReadOnlyDictionary<string, LoopChange>>(StringComparer.Ordinal);
        foreach (var r in records.Where(r => r.Status == "rewritten" && r.Applied.Count > 0))
        {
            string text;
            try
            {
                text = File.ReadAllText(r.File);
            }
            catch (IOException)
            {
                continue;
            }
            if (r.TextHash is { } expected && EngineState.TextHashOf(text) != expected) continue;
            var label = Path.GetRelativePath(root, r.File).Replace('\\', '/');
            var changes = new Dictionary<string, LoopChange>(StringComparer.Ordinal);
            foreach (var a in r.Applied)
            {
                var edit = new LoopEdit(a.Line, a.Column, a.StartOffset, a.EndOffset, a.Directive, a.RuntimeCheck, a.Id) { Matmul = a.Matmul, Sink = a.Sink, SinkDirectives = a.SinkDirectives, Hoist = a.Hoist, HoistDirectives = a.HoistDirectives };
                var result = SourceRewriter.Rewrite(r.File, text, [edit]);
                if (!result.Changed) continue;
                changes[a.Id] = Between(UnifiedDiff.Create(label, label, text, result.ReviewText), text, result.ReviewText);
            }
            all[r.File] = changes;
        }
        return all;
    }

    public static LoopChange Between(string diff, string before, string after)
    {
        var a = UnifiedDiff.SplitLines(before);
        var b = UnifiedDiff.SplitLines(after);
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)]) suffix++;
        var inserted = string.Concat(b.Skip(prefix).Take(b.Length - prefix - suffix));
        var last = a.Length == 0 ? string.Empty : a[^1].TrimEnd('\n').TrimEnd('\r');
        return new LoopChange(diff, prefix + 1, a.Length - prefix - suffix, inserted, a.Length, last.Length);
    }
}
