using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ParaSlm.Tasks;

/// <summary>
/// The Ninja targets that make what a CMake tree's sources include before any of them compiles: CMake writes one
/// `cmake_object_order_depends_target_&lt;t&gt;` per target, whose dependencies are the target's custom-command outputs
/// (a header configured at build time, as libpng's pnglibconf.h) and those of the targets it depends on. Building them
/// in the serial tree before the engine parses its compile commands means the analysis reads the headers the build
/// compiles, not a missing file or a same-named older one found later on the include path. Empty for other generators.
/// </summary>
public sealed class ParaSlmCMakeGeneratedFiles : Task
{
    /// <summary>The CMake build tree (its build.ninja is read).</summary>
    [Required] public string BuildDirectory { get; set; } = string.Empty;

    /// <summary>One target per entry, in the order build.ninja names them.</summary>
    [Output] public string[] Targets { get; private set; } = [];

    public override bool Execute()
    {
        var ninja = Path.Combine(BuildDirectory, "build.ninja");
        if (!File.Exists(ninja))
        {
            Log.LogMessage(MessageImportance.Low, $"ParaSlm: {BuildDirectory} has no build.ninja: generated headers are made by the build itself, after the analysis");
            return true;
        }
        Targets = File.ReadLines(ninja).Select(l => OrderTarget.Match(l)).Where(m => m.Success).Select(m => Unescape(m.Groups["t"].Value))
            .Distinct(StringComparer.Ordinal).ToArray();
        Log.LogMessage(MessageImportance.Low, $"ParaSlm: {Targets.Length} order-depends targets in {ninja}");
        return true;
    }

    private static string Unescape(string ninjaPath) => Regex.Replace(ninjaPath, @"\$(.)", "$1");

    // `build cmake_object_order_depends_target_png_static: phony || pnglibconf.h …` (a `$` escapes a space or colon).
    private static readonly Regex OrderTarget = new(@"^build (?<t>cmake_object_order_depends_target_(?:[^\s:$]|\$.)+):", RegexOptions.CultureInvariant);
}
