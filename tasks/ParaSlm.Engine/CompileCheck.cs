using ParaSlm.Engine.Inputs;
using ParaSlm.Engine.Tools;

namespace ParaSlm.Engine;

/// <summary>
/// Compiles a rewritten copy the way the build will (the file's compiler and flags, plus OpenMP and the original's
/// folder for `#include "…"`), syntax only, before the build gets it: a copy that does not compile is never handed
/// over, so ParaSlm cannot break a build (the original is compiled instead, with a PSLM1013 warning).
/// </summary>
public static class CompileCheck
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The compiler's first error lines, or null when the copy compiles (or no compiler can check it, or the original
    /// fails the same way: then the error is the user's, and the copy reports it at the original's file and line).
    /// The one copy replaces the file in every target that compiles it, so it is checked under each distinct command
    /// (the unit's, then its <see cref="CompileCommand.Alternatives"/>); a failure under another names that command's flags.
    /// </summary>
    public static async Task<string?> FailureAsync(CompileCommand unit, string copy, CancellationToken cancel)
    {
        foreach (var command in new[] { unit }.Concat(unit.Alternatives))
        {
            var failure = await CheckAsync(command, copy, cancel);
            if (failure is null || await CheckAsync(command, unit.File, cancel) is not null) continue;
            return ReferenceEquals(command, unit) ? failure
                : $"{failure}; under the file's other compile command, {Planning.ConfigurationAgreement.Difference(unit, command)}";
        }
        return null;
    }

    private static async Task<string?> CheckAsync(CompileCommand unit, string copy, CancellationToken cancel)
    {
        var compiler = unit.Compiler is { Length: > 0 } c ? ToolProcess.FindOnPath(c) ?? c : DefaultChecker();
        if (compiler is null) return null;
        var cl = CompilerName.IsCl(compiler);
        var msvc = cl || CompilerName.IsClangCl(compiler);
        var folder = Path.GetDirectoryName(unit.File)!;
        var args = new List<string>(unit.Arguments.Count + 6);
        // MSVC's floating-point switch reaches the engine from a .vcxproj; a GCC-style driver would take it for a file.
        args.AddRange(msvc ? unit.Arguments : unit.Arguments.Where(a => !a.StartsWith("/fp:", StringComparison.Ordinal) && !a.StartsWith("-fp:", StringComparison.Ordinal)));
        // clang-cl takes /openmp:llvm without a word and without OpenMP: its switch is /openmp.
        args.AddRange(msvc ? ["/Zs", cl ? "/openmp:llvm" : "/openmp", "/I" + folder] : ["-fsyntax-only", "-fopenmp", "-iquote", folder]);
        args.Add(copy);
        ProcessOutcome outcome;
        try
        {
            outcome = await ToolProcess.RunAsync(compiler, args, Directory.Exists(unit.Directory) ? unit.Directory : folder, null, Limit, cancel);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // the compiler of the compile command is not here: the build will say so itself
        }
        if (outcome.TimedOut || outcome.ExitCode == 0) return null;
        var lines = ErrorLines.In(outcome.Combined.Split('\n').Select(l => l.TrimEnd('\r')), 2);
        return lines.Count > 0 ? string.Join(" / ", lines.Select(l => l.Trim())) : $"the compiler exited with code {outcome.ExitCode}";
    }

    /// <summary>For sources handed over without their compiler (a .vcxproj): a clang or gcc on PATH, if any.</summary>
    private static string? DefaultChecker() =>
        new[] { "clang-19", "clang", "gcc" }.Select(ToolProcess.FindOnPath).FirstOrDefault(p => p is not null);
}
