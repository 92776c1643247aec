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
        for (var k = 0; k < lines.Count; k++)
        {
            var line = lines[k];
            var pragma = TargetPragma().Match(line);
            if (pragma.Success)
            {
                var items = Maps(pragma.Groups[1].Value).ToList();
                Assert.That(items, Is.Not.Empty, $"a target region without map clauses: {line}");
                result.Append("{\n");
                foreach (var (direction, item, n) in items.Select((m, i) => (m.Direction, m.Item, i)))
                    result.Append(Enter(direction, item, n));
                pendingExit = items.Select((m, i) => Exit(m.Direction, m.Item, i)).Reverse().ToList();
                continue;
            }
            if (pendingExit.Count > 0 && line.Trim() == "} else {")
            {
                result.Append(string.Concat(pendingExit)).Append("}\n");
                pendingExit = [];
            }
            result.Append(line).Append('\n');
        }
        Assert.That(pendingExit, Is.Empty, "every emulated region ends at its `} else {`");
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

    private static string Enter(string direction, string item, int n)
    {
        var name = Name(item);
        var copyIn = direction is "to" or "tofrom";
        if (Section(item) is not var (lo, len))
        {
            // A whole array or a scalar (a reduction variable): a device object of the same type.
            return $"static __typeof__({name}) paraslm_dev{n}; memset(&paraslm_dev{n}, 0x7f, sizeof paraslm_dev{n});\n" +
                   (copyIn ? $"memcpy(&paraslm_dev{n}, &{name}, sizeof paraslm_dev{n});\n" : string.Empty) +
                   $"#define {name} paraslm_dev{n}\n";
        }
        return $"size_t paraslm_lo{n} = (size_t)({lo}), paraslm_len{n} = (size_t)({len});\n" +
               $"__typeof__(&({name})[0]) paraslm_host{n} = &({name})[0];\n" +
               $"__typeof__(&({name})[0]) paraslm_dev{n} = malloc(sizeof(({name})[0]) * (paraslm_lo{n} + paraslm_len{n} + 1));\n" +
               $"memset(paraslm_dev{n}, 0x7f, sizeof(({name})[0]) * (paraslm_lo{n} + paraslm_len{n} + 1));\n" +
               (copyIn ? $"memcpy(paraslm_dev{n} + paraslm_lo{n}, paraslm_host{n} + paraslm_lo{n}, sizeof(({name})[0]) * paraslm_len{n});\n" : string.Empty) +
               $"#define {name} paraslm_dev{n}\n";
    }

    private static string Exit(string direction, string item, int n)
    {
        var name = Name(item);
        var copyOut = direction is "from" or "tofrom";
        if (Section(item) is null)
            return $"#undef {name}\n" + (copyOut ? $"memcpy(&{name}, &paraslm_dev{n}, sizeof paraslm_dev{n});\n" : string.Empty);
        return $"#undef {name}\n" +
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

    [GeneratedRegex(@"^\s*#pragma omp target teams distribute parallel for (.*)$")]
    private static partial Regex TargetPragma();
}
