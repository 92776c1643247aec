using System.Text.RegularExpressions;

namespace ParaSlm.Engine.Tools;

/// <summary>The lines of a compiler, CMake or program log that say what went wrong, for one-line and short reasons.</summary>
public static partial class ErrorLines
{
    /// <summary>
    /// The diagnostics themselves first ("error:", "CMake Error", linker errors): a compiler command line mentions
    /// "error" too (-Werror) and says nothing. Else any line that says error or fatal; else none.
    /// </summary>
    public static List<string> In(IEnumerable<string> lines, int max)
    {
        var all = lines as IReadOnlyList<string> ?? lines.ToList();
        var diagnostics = all.Where(l => Diagnostic().IsMatch(l)).Take(max).ToList();
        return diagnostics.Count > 0
            ? diagnostics
            : all.Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("fatal", StringComparison.OrdinalIgnoreCase)).Take(max).ToList();
    }

    [GeneratedRegex(@"(?i)(\berror\b\s*(\[[^\]]*\])?\s*:|CMake Error|undefined reference|ld returned)")]
    private static partial Regex Diagnostic();
}
