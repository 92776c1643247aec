using System.Text;
using System.Text.RegularExpressions;

namespace ParaSlm.Analyzer.Tests.Offload;

/// <summary>
/// A device with its own memory, emulated in C for machines without a GPU: every `omp target` region of a rewritten
/// copy is replaced by code that gives each mapped list item a separate "device" buffer filled with a poison pattern,
/// copies in what `to`/`tofrom` says, runs the loop on the buffers (the names are redefined to them), and copies back
/// what `from`/`tofrom` says. A missing or wrong map clause then changes the program's output, exactly as on a GPU;
/// OpenMP's own host fallback shares memory and would hide it.
/// </summary>
internal static partial class MapEmulation
{
    public static string Apply(string copy)
    {
        var lines = copy.Split('\n').ToList();
        var result = new StringBuilder("#include <stdlib.h>\n#include <string.h>\n");
        var pendingExit = new List<string>();
        var next = 0;
        // A `target data` region: its device buffers, and the brace depth (counted from its `{` line) where it ends.
        Dictionary<string, string> outer = new(StringComparer.Ordinal);
        List<string> dataExit = [];
        var dataDepth = -1;
        for (var k = 0; k < lines.Count; k++)
        {
            var line = lines[k];
            var data = DataPragma().Match(line);
            if (data.Success)
            {
                var items = Maps(data.Groups[1].Value).ToList();
                Assert.That(lines.Skip(k + 1).First(l => !l.StartsWith("#line ", StringComparison.Ordinal)).Trim(), Is.EqualTo("{"), "a target data region's block starts on the next line");
                result.Append("{\n");
                foreach (var (direction, item) in items)
                {
                    result.Append(Enter(direction, item, next, null));
                    outer[Name(item)] = $"paraslm_dev{next}";
                    dataExit.Insert(0, Exit(direction, item, next++, null));
                }
                dataDepth = 0;
                continue;
            }
            var pragma = TargetPragma().Match(line);
            if (pragma.Success)
            {
                var items = Maps(pragma.Groups[1].Value).ToList();
                Assert.That(items, Is.Not.Empty, $"a target region without map clauses: {line}");
                result.Append("{\n");
                foreach (var (m, i) in items.Select((m, i) => (m, i))) result.Append(Enter(m.Direction, m.Item, next + i, outer));
                pendingExit = items.Select((m, i) => Exit(m.Direction, m.Item, next + i, outer)).Reverse().ToList();
                next += items.Count;
                continue;
            }
            if (pendingExit.Count > 0 && line.Trim() == "} else {")
            {
                result.Append(string.Concat(pendingExit)).Append("}\n");
                pendingExit = [];
            }
            if (dataDepth >= 0)
            {
                // Ends at the `}` that closes the region's block: the device buffers are copied back before it.
                for (var c = 0; c < line.Length; c++)
                {
                    dataDepth += line[c] == '{' ? 1 : line[c] == '}' ? -1 : 0;
                    if (dataDepth != 0 || line[c] != '}') continue;
                    result.Append(line[..c]).Append('\n').Append(string.Concat(dataExit)).Append("}\n");
                    line = line[c..];
                    dataDepth = -1;
                    dataExit = [];
                    outer.Clear();
                    break;
                }
            }
            result.Append(line).Append('\n');
        }
        Assert.That(pendingExit, Is.Empty, "every emulated region ends at its `} else {`");
        Assert.That(dataDepth, Is.EqualTo(-1), "every target data region ends");
        return result.ToString();
    }

    private static string Name(string item) => item.Contains('[') ? item[..item.IndexOf('[')].Trim() : item.Trim();

    private static (string Lo, string Len)? Section(string item)
    {
        if (!item.Contains('[')) return null;
        var inner = item[(item.IndexOf('[') + 1)..item.LastIndexOf(']')];
        var colon = TopLevel(inner, ':');
        return (inner[..colon], inner[(colon + 1)..]);
    }

    private static string Enter(string direction, string item, int n, Dictionary<string, string>? outer)
    {
        var name = Name(item);
        // Inside a target data region the name already means the region's device buffer: this region copies from it.
        var redefine = outer is not null && outer.ContainsKey(name) ? $"#undef {name}\n" : string.Empty;
        var copyIn = direction is "to" or "tofrom";
        if (Section(item) is not var (lo, len))
        {
            // A whole array or a scalar (a reduction variable): a device object of the same type.
            return $"static __typeof__({name}) paraslm_dev{n}; memset(&paraslm_dev{n}, 0x7f, sizeof paraslm_dev{n});\n" +
                   (copyIn ? $"memcpy(&paraslm_dev{n}, &{name}, sizeof paraslm_dev{n});\n" : string.Empty) +
                   redefine + $"#define {name} paraslm_dev{n}\n";
        }
        return $"size_t paraslm_lo{n} = (size_t)({lo}), paraslm_len{n} = (size_t)({len});\n" +
               $"__typeof__(&({name})[0]) paraslm_host{n} = &({name})[0];\n" +
               $"__typeof__(&({name})[0]) paraslm_dev{n} = malloc(sizeof(({name})[0]) * (paraslm_lo{n} + paraslm_len{n} + 1));\n" +
               $"memset(paraslm_dev{n}, 0x7f, sizeof(({name})[0]) * (paraslm_lo{n} + paraslm_len{n} + 1));\n" +
               (copyIn ? $"memcpy(paraslm_dev{n} + paraslm_lo{n}, paraslm_host{n} + paraslm_lo{n}, sizeof(({name})[0]) * paraslm_len{n});\n" : string.Empty) +
               redefine + $"#define {name} paraslm_dev{n}\n";
    }

    private static string Exit(string direction, string item, int n, Dictionary<string, string>? outer)
    {
        var name = Name(item);
        var copyOut = direction is "from" or "tofrom";
        var restore = outer is not null && outer.TryGetValue(name, out var dev) ? $"#define {name} {dev}\n" : string.Empty;
        if (Section(item) is null)
            return $"#undef {name}\n" + restore + (copyOut ? $"memcpy(&{name}, &paraslm_dev{n}, sizeof paraslm_dev{n});\n" : string.Empty);
        return $"#undef {name}\n" + restore +
               (copyOut ? $"memcpy(paraslm_host{n} + paraslm_lo{n}, paraslm_dev{n} + paraslm_lo{n}, sizeof(paraslm_host{n}[0]) * paraslm_len{n});\n" : string.Empty) +
               $"free(paraslm_dev{n});\n";
    }

    /// <summary>The `map(dir: a, b[lo:len])` clauses of a directive, one entry per list item.</summary>
    private static IEnumerable<(string Direction, string Item)> Maps(string clauses)
    {
        var at = 0;
        while ((at = clauses.IndexOf("map(", at, StringComparison.Ordinal)) >= 0)
        {
            var start = at + 4;
            var depth = 1;
            var end = start;
            while (depth > 0) depth += clauses[end++] switch { '(' => 1, ')' => -1, _ => 0 };
            var body = clauses[start..(end - 1)];
            var colon = body.IndexOf(':');
            var direction = body[..colon].Trim();
            var rest = body[(colon + 1)..];
            var from = 0;
            for (var i = 0; i <= rest.Length; i++)
            {
                if (i < rest.Length && (rest[i] != ',' || Depth(rest, i) != 0)) continue;
                yield return (direction, rest[from..i].Trim());
                from = i + 1;
            }
            at = end;
        }
    }

    private static int Depth(string s, int upTo)
    {
        var d = 0;
        for (var i = 0; i < upTo; i++) d += s[i] is '(' or '[' ? 1 : s[i] is ')' or ']' ? -1 : 0;
        return d;
    }

    private static int TopLevel(string s, char c)
    {
        for (var i = 0; i < s.Length; i++)
            if (s[i] == c && Depth(s, i) == 0) return i;
        throw new AssertionException($"no top-level `{c}` in `{s}`");
    }

    [GeneratedRegex(@"^\s*#pragma omp target data if\([A-Z_]+\) (.*)$")]
    private static partial Regex DataPragma();

    [GeneratedRegex(@"^\s*#pragma omp target teams distribute parallel for (.*)$")]
    private static partial Regex TargetPragma();
}
