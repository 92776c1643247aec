using System.Text.RegularExpressions;

namespace ParaSlm.Analyzer.Clang;

/// <summary>
/// The variables a file names in `#pragma omp threadprivate(…)`, read from its raw text: the analyzer parses with
/// `-D_OPENMP` and without `-fopenmp`, so the AST keeps no trace of the directive, yet under OpenMP each thread of a
/// team has its own copy of such a variable, exactly as for `__thread`/`_Thread_local`/`thread_local`.
/// </summary>
public static partial class ThreadPrivateDirectives
{
    [GeneratedRegex(@"^[ \t]*#[ \t]*pragma[ \t]+omp[ \t]+threadprivate[ \t]*\(([^)]*)\)", RegexOptions.Multiline)]
    private static partial Regex Directive();

    /// <summary>The names listed in the text's threadprivate directives (continuation lines joined).</summary>
    public static IReadOnlySet<string> Names(string text)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (!text.Contains("threadprivate", StringComparison.Ordinal)) return names;
        var joined = text.Replace("\\\r\n", " ", StringComparison.Ordinal).Replace("\\\n", " ", StringComparison.Ordinal);
        foreach (Match m in Directive().Matches(joined))
            foreach (var part in m.Groups[1].Value.Split(','))
            {
                // `ns::x` names the variable `x` of a namespace: the declaration's own name is what the parser compares.
                var name = part.Trim();
                var colon = name.LastIndexOf("::", StringComparison.Ordinal);
                if (colon >= 0) name = name[(colon + 2)..];
                if (name.Length > 0) names.Add(name);
            }
        return names;
    }
}
