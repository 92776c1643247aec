using System.Text.RegularExpressions;

namespace ParaSlm.Analyzer.Tests.Corpus;

/// <summary>A `// expect: ...` ground-truth annotation (see tests/corpus/README.md).</summary>
public sealed partial record Expectation(string File, int Line, string Verdict, IReadOnlyList<string> Reductions, IReadOnlyList<string> Private, IReadOnlyList<string> LastPrivate)
{
    public bool Parallel => Verdict is "parallel" or "runtime-check";

    /// <summary>Annotations of a file, keyed by the line of the `for` they describe (the next line).</summary>
    public static Dictionary<int, Expectation> Read(string file)
    {
        var result = new Dictionary<int, Expectation>();
        var lines = System.IO.File.ReadAllLines(file);
        for (var i = 0; i < lines.Length; i++)
        {
            var m = Annotation().Match(lines[i]);
            if (!m.Success) continue;
            var body = m.Groups[1].Value.Trim();
            var verdict = body.Split(' ', 2)[0];
            var clauses = Clause().Matches(body);
            var red = new List<string>();
            var priv = new List<string>();
            var last = new List<string>();
            foreach (Match c in clauses)
            {
                var items = c.Groups[2].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                switch (c.Groups[1].Value)
                {
                    case "reduction":
                        var op = items[0].Split(':')[0];
                        red.Add($"{op}:{items[0].Split(':', 2)[1]}"); // an array section's own colon stays (`c[n * i:n]`)
                        red.AddRange(items.Skip(1).Select(v => $"{op}:{v}"));
                        break;
                    case "private": priv.AddRange(items); break;
                    case "lastprivate": last.AddRange(items); break;
                }
            }
            result[i + 2] = new Expectation(file, i + 2, verdict, red.Order().ToList(), priv.Order().ToList(), last.Order().ToList());
        }
        return result;
    }

    [GeneratedRegex(@"^\s*//\s*expect:\s*(.*)$")]
    private static partial Regex Annotation();

    [GeneratedRegex(@"\b(reduction|lastprivate|private)\(([^)]*)\)")]
    private static partial Regex Clause();
}
