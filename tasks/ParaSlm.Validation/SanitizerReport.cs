using System.Text;
using System.Text.RegularExpressions;

namespace ParaSlm.Validation;

/// <summary>
/// One report of a sanitizer in a run's stderr.
/// </summary>
/// <param name="Tool">asan | tsan | ubsan.</param>
/// <param name="Signature">What identifies the problem across runs and builds (kind and source location, no addresses,
/// pids or thread numbers): a report the program already produces without ParaSlm's changes is matched by it.</param>
/// <param name="Summary">One line for a warning: the kind, where, and on what.</param>
/// <param name="Excerpt">The report's telling lines (header, first frame of each access, location, summary).</param>
/// <param name="Accesses">The accesses the report names (TSan: both sides of the race; ASan: the bad access), each with its
/// symbolized stack (`func file:line:col`, innermost first), so that evidence can name the loop each one runs in.</param>
public sealed record SanitizerFinding(string Tool, string Signature, string Summary, string Excerpt, IReadOnlyList<SanitizerAccess>? Accesses = null);

/// <summary>One access of a sanitizer report: `Write of size 4 at … by thread T2`, and its stack frames that name a source line.</summary>
public sealed record SanitizerAccess(string What, IReadOnlyList<string> Frames);

/// <summary>Finds AddressSanitizer, ThreadSanitizer and UndefinedBehaviorSanitizer reports in a program's stderr.</summary>
public static partial class SanitizerReport
{
    private const int ExcerptLines = 14;

    public static IReadOnlyList<SanitizerFinding> Parse(string stderr)
    {
        var findings = new List<SanitizerFinding>();
        if (stderr.Length == 0) return findings;
        var lines = stderr.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            Match m;
            if ((m = AsanHeader().Match(line)).Success || (m = TsanHeader().Match(line)).Success)
            {
                var tool = line.Contains("AddressSanitizer", StringComparison.Ordinal) ? "asan" : "tsan";
                var end = i + 1;
                while (end < lines.Length && !lines[end].StartsWith("SUMMARY:", StringComparison.Ordinal) && !IsHeader(lines[end])) end++;
                var summaryLine = end < lines.Length && lines[end].StartsWith("SUMMARY:", StringComparison.Ordinal) ? lines[end] : null;
                findings.Add(Block(tool, m.Groups["kind"].Value.Trim(), lines[i..Math.Min(end, lines.Length)], summaryLine));
                i = summaryLine is null ? end - 1 : end;
                continue;
            }
            if ((m = UbsanLine().Match(line)).Success)
            {
                var where = $"{Path.GetFileName(m.Groups["file"].Value)}:{m.Groups["line"].Value}";
                var what = Addresses().Replace(m.Groups["what"].Value, "0x…");
                var excerpt = new StringBuilder(line.Trim());
                for (var j = i + 1; j < Math.Min(lines.Length, i + 4) && lines[j].TrimStart().StartsWith('#'); j++) excerpt.Append('\n').Append(lines[j].Trim());
                findings.Add(new SanitizerFinding("ubsan", $"ubsan|{m.Groups["file"].Value}:{m.Groups["line"].Value}:{m.Groups["col"].Value}|{what}",
                    $"UndefinedBehaviorSanitizer: {what} at {where}", excerpt.ToString()));
            }
        }
        return findings;
    }

    private static bool IsHeader(string line) => AsanHeader().IsMatch(line) || TsanHeader().IsMatch(line);

    private static SanitizerFinding Block(string tool, string kind, string[] block, string? summaryLine)
    {
        // The telling lines: the header, each access ("Write of size 4 … by thread T2:") with its first frame that has a
        // source location, where the memory is ("Location is global 'counter'", "is located 0 bytes after …"), the summary.
        var excerpt = new List<string> { Clean(block[0]) };
        string? location = null;
        var frames = new List<string>();
        var accesses = new List<SanitizerAccess>();
        for (var k = 1; k < block.Length; k++)
        {
            var t = block[k].Trim();
            if (t.Length == 0) continue;
            if (Access().IsMatch(t))
            {
                var stack = SourceFrames(block, k + 1);
                accesses.Add(new SanitizerAccess(AccessWords(Clean(t)), stack));
                if (excerpt.Count >= ExcerptLines - 1) continue;
                excerpt.Add(Clean(t));
                // The first frame of the user's code, and the next one too when the first is a helper it calls.
                foreach (var frame in stack.Take(2)) { excerpt.Add("  " + frame); }
                if (stack.Count > 0) frames.Add(stack[0]);
                continue;
            }
            if (t.StartsWith("Location is", StringComparison.Ordinal) || t.Contains(" is located ", StringComparison.Ordinal))
            {
                location ??= Clean(t);
                if (excerpt.Count < ExcerptLines - 1) excerpt.Add(Clean(t));
            }
        }
        if (frames.Count == 0 && FirstSourceFrame(block, 1) is { } f) { excerpt.Add("  " + f); frames.Add(f); }
        var summary = summaryLine is null ? null : Clean(summaryLine["SUMMARY:".Length..].Trim());
        if (summary is not null) excerpt.Add("SUMMARY: " + summary);
        var name = tool == "asan" ? "AddressSanitizer" : "ThreadSanitizer";
        // "SUMMARY: ThreadSanitizer: data race /src/app.c:5:12 in bump": what follows the kind is where it happened.
        var prefix = $"{name}: {kind}";
        var place = summary is not null && summary.StartsWith(prefix, StringComparison.Ordinal) && summary.Length > prefix.Length
            ? summary[prefix.Length..].Trim()
            : frames.FirstOrDefault() ?? string.Empty;
        var oneLine = $"{name}: {kind}{(place.Length > 0 ? " at " + place : string.Empty)}";
        if (location is not null && MemoryName(location) is { } on) oneLine += $" (on {on})";
        var signature = $"{tool}|{kind}|{Addresses().Replace(place, string.Empty)}";
        return new SanitizerFinding(tool, signature, oneLine, string.Join('\n', excerpt), accesses);
    }

    /// <summary>What memory a `Location is …` line names: `'calls'`, `a heap block of 4000 bytes`, `the stack of thread T1`.</summary>
    public static string? MemoryName(string location)
    {
        var g = GlobalName().Match(location);
        if (g.Success && g.Groups["what"].Value.StartsWith('\'')) return g.Groups["what"].Value;
        var heap = HeapBlock().Match(location);
        if (heap.Success) return $"a heap block of {heap.Groups["size"].Value} bytes";
        var stack = StackOf().Match(location);
        if (stack.Success) return $"the stack of {stack.Groups["who"].Value.Trim()}";
        return null;
    }

    /// <summary>`Previous write of size 4 at 0x… by thread T2:` → `previous write of size 4 by thread T2`.</summary>
    private static string AccessWords(string line)
    {
        var words = Regex.Replace(line.TrimEnd(':'), @"\s+at\s+0x…", string.Empty);
        words = Regex.Replace(words, @"\s*\(mutexes:[^)]*\)", string.Empty);
        return words.Length > 0 ? char.ToLowerInvariant(words[0]) + words[1..] : words;
    }

    /// <summary>Every frame of the stack starting at <paramref name="from"/> that names a source line (`func file:line:col`).</summary>
    private static List<string> SourceFrames(string[] block, int from)
    {
        var found = new List<string>();
        for (var k = from; k < block.Length; k++)
        {
            var t = block[k].Trim();
            if (!t.StartsWith('#')) break;
            var m = Frame().Match(t);
            if (m.Success && m.Groups["file"].Value.Contains(':')) found.Add($"{m.Groups["func"].Value} {m.Groups["file"].Value}");
        }
        return found;
    }

    /// <summary>`func /path/file.c:12:5` from the first stack frame of an access that names a source line.</summary>
    private static string? FirstSourceFrame(string[] block, int from)
    {
        for (var k = from; k < block.Length; k++)
        {
            var t = block[k].Trim();
            if (!t.StartsWith('#')) return null;
            var m = Frame().Match(t);
            if (m.Success && m.Groups["file"].Value.Contains(':')) return $"{m.Groups["func"].Value} {m.Groups["file"].Value}";
        }
        return null;
    }

    /// <summary>Pids, addresses and build ids change on every run; they only make warnings noisy.</summary>
    private static string Clean(string s) => BuildId().Replace(Pid().Replace(Addresses().Replace(s.Trim(), "0x…"), string.Empty), string.Empty).Trim();

    [GeneratedRegex(@"==\d+==\s*ERROR: AddressSanitizer: (?<kind>[\w-]+(?: on unknown address)?)")]
    private static partial Regex AsanHeader();

    [GeneratedRegex(@"WARNING: ThreadSanitizer: (?<kind>[^(]+)")]
    private static partial Regex TsanHeader();

    [GeneratedRegex(@"^(?<file>[^\s:][^:]*):(?<line>\d+):(?<col>\d+): runtime error: (?<what>.*)$")]
    private static partial Regex UbsanLine();

    [GeneratedRegex(@"^(?:Read|Write|Atomic read|Atomic write|Previous read|Previous write|Previous atomic read|Previous atomic write|READ|WRITE|freed by|previously allocated|allocated)\b.*:$|^(?:READ|WRITE) of size")]
    private static partial Regex Access();

    [GeneratedRegex(@"^#\d+\s+(?:0x[0-9a-fA-F]+\s+in\s+)?(?<func>\S+)\s+(?<file>\S+)")]
    private static partial Regex Frame();

    [GeneratedRegex(@"Location is (?:global|heap block|stack of)\s*(?<what>'[^']+'|[^(]+?)(?:\s+of size|\s+at|\s*\(|$)")]
    private static partial Regex GlobalName();

    [GeneratedRegex(@"^Location is heap block of size (?<size>\d+)")]
    private static partial Regex HeapBlock();

    [GeneratedRegex(@"^Location is stack of (?<who>[^.]+?)(?:\.|$)")]
    private static partial Regex StackOf();

    [GeneratedRegex(@"0x[0-9a-fA-F]+")]
    private static partial Regex Addresses();

    [GeneratedRegex(@"\s*\(pid=\d+\)")]
    private static partial Regex Pid();

    [GeneratedRegex(@"\s*\(BuildId: [0-9a-f]+\)")]
    private static partial Regex BuildId();
}
