using System.Text.RegularExpressions;

namespace ParaSlm.Analyzer.Clang;

/// <summary>
/// Reads clang's driver error for an option it does not know at all (GCC-only options such as `-fipa-pta`,
/// `-fvect-cost-model=dynamic`): libclang reports it as a diagnostic without a place (`unknown argument:
/// '-fipa-pta'`), the clang command prints it on stderr (`clang-19: error: unknown argument: '-fipa-pta'`), and some
/// versions add a suggestion (`unknown argument '-ftree-loop-vectorize'; did you mean '-ftree-vectorize'?`).
/// One reader for both: the parse (<see cref="ClangParser"/>) and the clang-built TSan validation drop the same options.
/// </summary>
public static partial class UnknownDriverArgument
{
    /// <summary>The option one diagnostic (a libclang message or a line of the driver's stderr) names as unknown, else null.</summary>
    public static string? In(string message)
    {
        var m = Pattern().Match(message);
        return m.Success ? m.Groups[1].Value : null;
    }

    /// <summary>Every option the messages name as unknown.</summary>
    public static HashSet<string> All(IEnumerable<string> messages) =>
        messages.Select(In).OfType<string>().ToHashSet(StringComparer.Ordinal);

    // Anchored at the message, or after the driver's `<program>: error: ` prefix (a program name has no colon): a source
    // diagnostic (`main.c:3:2: error: …`) that merely quotes the words is never taken for one.
    [GeneratedRegex(@"^(?:[^\s:]+: error: )?unknown argument:? '([^']+)'")]
    private static partial Regex Pattern();
}
