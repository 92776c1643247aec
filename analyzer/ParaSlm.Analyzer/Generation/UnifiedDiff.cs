using System.Globalization;
using System.Text;

namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// A unified diff (`--- a/…`, `+++ b/…`, `@@ -l,n +l,n @@` hunks with three lines of context) that `patch -p1` and
/// `git apply` accept. For a rewrite, diff the original against <see cref="RewriteResult.ReviewText"/>: the
/// reviewer sees the pragmas and versioned loops, not the `#line` bookkeeping.
/// </summary>
public static class UnifiedDiff
{
    public const int ContextLines = 3;

    // Above this many differing lines the minimal diff costs too much memory (it grows with its square); one
    // hunk that replaces the differing middle is still a correct patch.
    private const int MaxEditDistance = 2_000;

    /// <param name="oldLabel">The old file's path relative to the tree the patch applies to (gets the `a/` prefix).</param>
    /// <param name="newLabel">The new file's path, likewise (gets the `b/` prefix).</param>
    /// <returns>The diff; empty when the texts are equal. Lines keep their own line endings (`\r\n` stays).</returns>
    public static string Create(string oldLabel, string newLabel, string oldText, string newText)
    {
        ArgumentNullException.ThrowIfNull(oldLabel);
        ArgumentNullException.ThrowIfNull(newLabel);
        ArgumentNullException.ThrowIfNull(oldText);
        ArgumentNullException.ThrowIfNull(newText);
        if (string.Equals(oldText, newText, StringComparison.Ordinal)) return string.Empty;

        var a = SplitLines(oldText);
        var b = SplitLines(newText);
        var script = Diff(a, b);

        var output = new StringBuilder();
        output.Append("--- ").Append(Label("a/", oldLabel)).Append('\n');
        output.Append("+++ ").Append(Label("b/", newLabel)).Append('\n');
        foreach (var (from, to) in Hunks(script))
        {
            int oldStart = script[from].OldIndex, newStart = script[from].NewIndex;
            var oldCount = script.Skip(from).Take(to - from).Count(e => e.Kind != EditKind.Insert);
            var newCount = script.Skip(from).Take(to - from).Count(e => e.Kind != EditKind.Delete);
            output.Append("@@ -").Append(Range(oldStart, oldCount)).Append(" +").Append(Range(newStart, newCount)).Append(" @@\n");
            for (var i = from; i < to; i++)
            {
                var e = script[i];
                var line = e.Kind == EditKind.Insert ? b[e.NewIndex] : a[e.OldIndex];
                output.Append(e.Kind switch { EditKind.Equal => ' ', EditKind.Delete => '-', _ => '+' }).Append(line);
                if (!line.EndsWith('\n')) output.Append("\n\\ No newline at end of file\n");
            }
        }
        return output.ToString();
    }

    /// <summary>`l,n` with GNU diff's conventions: an empty range names the line before it, a count of 1 is omitted.</summary>
    private static string Range(int start, int count) => count switch
    {
        0 => string.Create(CultureInfo.InvariantCulture, $"{start},0"),
        1 => (start + 1).ToString(CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"{start + 1},{count}"),
    };

    /// <summary>`a/path`, C-quoted the way git does when the name has characters a plain header line cannot carry.</summary>
    private static string Label(string prefix, string path)
    {
        var name = prefix + path.Replace('\\', '/').TrimStart('/');
        if (!name.Any(c => c is '"' or '\\' or '\t' or ' ' or '\n' or '\r' || c < ' ' || c > '~')) return name;
        var quoted = new StringBuilder("\"");
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            quoted.Append(b switch
            {
                (byte)'"' => "\\\"",
                (byte)'\\' => @"\\",
                (byte)'\t' => @"\t",
                (byte)'\n' => @"\n",
                (byte)'\r' => @"\r",
                < 0x20 or > 0x7e => "\\" + Convert.ToString(b, 8).PadLeft(3, '0'),
                _ => ((char)b).ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }

    /// <summary>Lines with their terminators, so `\r\n` and a missing final newline are differences like any other.</summary>
    public static string[] SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n') continue;
            lines.Add(text[start..(i + 1)]);
            start = i + 1;
        }
        if (start < text.Length) lines.Add(text[start..]);
        return [.. lines];
    }

    private enum EditKind
    {
        Equal,
        Delete,
        Insert,
    }

    /// <param name="OldIndex">0-based line in the old text (for an insertion: the old line it comes before).</param>
    /// <param name="NewIndex">0-based line in the new text (for a deletion: the new line it comes before).</param>
    private readonly record struct Edit(EditKind Kind, int OldIndex, int NewIndex);

    /// <summary>Ranges [from, to) of the script, each a hunk: changes with up to three equal lines around them.</summary>
    private static List<(int From, int To)> Hunks(List<Edit> script)
    {
        var hunks = new List<(int From, int To)>();
        var i = 0;
        while (i < script.Count)
        {
            if (script[i].Kind == EditKind.Equal)
            {
                i++;
                continue;
            }
            var from = Math.Max(i - ContextLines, hunks.Count > 0 ? hunks[^1].To : 0);
            var lastChange = i;
            var j = i + 1;
            // Two changes separated by at most 2 × context equal lines share one hunk (their contexts would touch).
            while (j < script.Count && j - lastChange <= 2 * ContextLines)
            {
                if (script[j].Kind != EditKind.Equal) lastChange = j;
                j++;
            }
            var to = Math.Min(script.Count, lastChange + 1 + ContextLines);
            if (hunks.Count > 0 && from <= hunks[^1].To) hunks[^1] = (hunks[^1].From, to);
            else hunks.Add((from, to));
            i = to;
        }
        return hunks;
    }

    /// <summary>Myers' O(ND) shortest edit script; deletions come before insertions within a change, as in GNU diff.</summary>
    private static List<Edit> Diff(string[] a, string[] b)
    {
        // Equal lines become equal integers, so the inner loop compares ints instead of strings.
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var x = a.Select(l => ids.TryGetValue(l, out var id) ? id : ids[l] = ids.Count).ToArray();
        var y = b.Select(l => ids.TryGetValue(l, out var id) ? id : ids[l] = ids.Count).ToArray();

        var prefix = 0;
        while (prefix < x.Length && prefix < y.Length && x[prefix] == y[prefix]) prefix++;
        var suffix = 0;
        while (suffix < x.Length - prefix && suffix < y.Length - prefix && x[^(suffix + 1)] == y[^(suffix + 1)]) suffix++;

        var script = new List<Edit>(x.Length + y.Length);
        for (var i = 0; i < prefix; i++) script.Add(new Edit(EditKind.Equal, i, i));
        MiddleScript(x, y, prefix, x.Length - suffix, prefix, y.Length - suffix, script);
        for (var i = suffix; i > 0; i--) script.Add(new Edit(EditKind.Equal, x.Length - i, y.Length - i));
        return script;
    }

    private static void MiddleScript(int[] x, int[] y, int x0, int x1, int y0, int y1, List<Edit> script)
    {
        int n = x1 - x0, m = y1 - y0, max = n + m;
        var trace = new List<int[]>();
        var v = new int[2 * max + 3];
        var found = -1;
        for (var d = 0; d <= Math.Min(max, MaxEditDistance) && found < 0; d++)
        {
            for (var k = -d; k <= d; k += 2)
            {
                var i = k == -d || (k != d && v[max + k - 1] < v[max + k + 1]) ? v[max + k + 1] : v[max + k - 1] + 1;
                var j = i - k;
                while (i < n && j < m && x[x0 + i] == y[y0 + j])
                {
                    i++;
                    j++;
                }
                v[max + k] = i;
                if (i >= n && j >= m) found = d;
            }
            trace.Add(v[(max - d)..(max + d + 1)]);
        }

        if (found < 0)
        {
            for (var i = x0; i < x1; i++) script.Add(new Edit(EditKind.Delete, i, y0));
            for (var j = y0; j < y1; j++) script.Add(new Edit(EditKind.Insert, x1, j));
            return;
        }

        var backwards = new List<Edit>();
        int cx = n, cy = m;
        for (var d = found; d > 0; d--)
        {
            var prev = trace[d - 1]; // values of iteration d - 1, for diagonals -(d-1) … d-1
            var k = cx - cy;
            int At(int diagonal) => prev[diagonal + d - 1];
            var prevK = k == -d || (k != d && At(k - 1) < At(k + 1)) ? k + 1 : k - 1;
            var px = At(prevK);
            var py = px - prevK;
            while (cx > px && cy > py)
            {
                cx--;
                cy--;
                backwards.Add(new Edit(EditKind.Equal, x0 + cx, y0 + cy));
            }
            if (cx == px)
            {
                cy--;
                backwards.Add(new Edit(EditKind.Insert, x0 + cx, y0 + cy));
            }
            else
            {
                cx--;
                backwards.Add(new Edit(EditKind.Delete, x0 + cx, y0 + cy));
            }
        }
        while (cx > 0 && cy > 0)
        {
            cx--;
            cy--;
            backwards.Add(new Edit(EditKind.Equal, x0 + cx, y0 + cy));
        }
        backwards.Reverse();

        // Within each run of changes, put deletions first: the conventional layout reviewers expect.
        for (var i = 0; i < backwards.Count;)
        {
            if (backwards[i].Kind == EditKind.Equal)
            {
                script.Add(backwards[i++]);
                continue;
            }
            var j = i;
            while (j < backwards.Count && backwards[j].Kind != EditKind.Equal) j++;
            var run = backwards.GetRange(i, j - i);
            var oldAt = run.Where(e => e.Kind == EditKind.Delete).Select(e => e.OldIndex).DefaultIfEmpty(run[0].OldIndex).Min();
            var newAt = run.Where(e => e.Kind == EditKind.Insert).Select(e => e.NewIndex).DefaultIfEmpty(run[0].NewIndex).Min();
            var deletes = run.Where(e => e.Kind == EditKind.Delete).ToList();
            var inserts = run.Where(e => e.Kind == EditKind.Insert).ToList();
            script.AddRange(deletes.Select(e => e with { NewIndex = newAt }));
            script.AddRange(inserts.Select(e => e with { OldIndex = oldAt + deletes.Count }));
            i = j;
        }
    }
}
