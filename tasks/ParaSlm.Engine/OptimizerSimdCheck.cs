using ParaSlm.Engine.Inputs;
using ParaSlm.Engine.Tools;

namespace ParaSlm.Engine;

/// <summary>
/// Whether clang's optimizer refuses a `simd` request of ParaSlm's copy. `simd` asks for vectorization, and where clang
/// cannot do it, it warns "loop not vectorized: the optimizer was unable to perform the requested transformation"
/// [-Wpass-failed] — a warning the user's build never had, an error under -Werror, and one that the syntax-only
/// <see cref="CompileCheck"/> cannot see (the optimizer raises it). Which loops clang-19 refuses depends on its code
/// generation, not on anything the analyzer can prove: its worksharing loop keeps its bound in a memory slot of the
/// counter's type, so a store of that integer width or of a character type makes the trip count unknown (NPB IS's
/// `key_buff2[i] = 0` under `parallel for simd`), and a reduction updated under a branch, or a floating-point max, is not
/// recognized as one (IS's `if (a[i-1] > a[i]) j++`). So the copy is compiled once the way the build will (its flags,
/// OpenMP, `-Werror=pass-failed`, object to the null device); where it fails and the original does not, the copy is
/// written without `simd` (gcc ignores a `simd` it cannot honour: only clang is asked).
/// </summary>
public static class OptimizerSimdCheck
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    /// <summary>The diagnostic clang raises for a transformation the optimizer could not make.</summary>
    public const string Warning = "pass-failed";

    /// <summary>
    /// The first line of clang's refusal when the copy's text <paramref name="copyText"/> asks for a vectorization clang's
    /// optimizer cannot make and the unit's original file does not (the user's own `simd` is the user's); null otherwise:
    /// not clang, the user silences the warning (`-Wno-pass-failed`, `-w`), no `simd` in the copy, or the compile fails for
    /// another reason (the syntax check reports those). The copy is compiled from a scratch file beside
    /// <paramref name="outputPath"/> (same folder and extension, so `#include` and the language are the copy's).
    /// </summary>
    public static async Task<string?> RefusalAsync(CompileCommand unit, string outputPath, string copyText, CancellationToken cancel)
    {
        if (!copyText.Contains("simd", StringComparison.Ordinal) || !AppliesTo(unit)) return null;
        var scratch = Path.ChangeExtension(outputPath, ".simdcheck" + Path.GetExtension(outputPath));
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(scratch)!);
            await File.WriteAllTextAsync(scratch, copyText, cancel);
            var refusal = await RefusalOfAsync(unit, scratch, openMP: true, cancel);
            if (refusal is null) return null;
            // The original as the user's build compiles it (without OpenMP where the build has none: the user's own `omp simd`
            // is then ignored there, and the copy blanks it).
            return await RefusalOfAsync(unit, unit.File, openMP: false, cancel) is null ? refusal : null;
        }
        finally
        {
            if (File.Exists(scratch)) File.Delete(scratch);
        }
    }

    /// <summary>A gcc-style clang driver whose flags leave -Wpass-failed on.</summary>
    internal static bool AppliesTo(CompileCommand unit)
    {
        if (unit.Compiler is not { Length: > 0 } compiler) return false;
        var name = CompilerName.Of(compiler);
        if (!name.StartsWith("clang", StringComparison.Ordinal) || CompilerName.IsClangCl(compiler)) return false;
        return !unit.Arguments.Any(a => a is "-w" or "-Wno-pass-failed" or "-Wno-pass-failed=transform-warning");
    }

    private static async Task<string?> RefusalOfAsync(CompileCommand unit, string file, bool openMP, CancellationToken cancel)
    {
        var compiler = ToolProcess.FindOnPath(unit.Compiler!) ?? unit.Compiler!;
        var folder = Path.GetDirectoryName(unit.File)!;
        var args = new List<string>(unit.Arguments.Count + 8);
        args.AddRange(unit.Arguments);
        if (openMP) args.Add("-fopenmp");
        args.AddRange(["-iquote", folder, "-Werror=" + Warning, "-c", "-o", OperatingSystem.IsWindows() ? "NUL" : "/dev/null", file]);
        ProcessOutcome outcome;
        try
        {
            outcome = await ToolProcess.RunAsync(compiler, args, Directory.Exists(unit.Directory) ? unit.Directory : folder, null, Limit, cancel);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        if (outcome.TimedOut || outcome.ExitCode == 0) return null;
        return outcome.Combined.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("-Werror," + Warning, StringComparison.Ordinal) || l.Contains("-W" + Warning, StringComparison.Ordinal));
    }
}
