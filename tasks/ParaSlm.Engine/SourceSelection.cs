using System.Text;
using System.Text.RegularExpressions;

namespace ParaSlm.Engine;

/// <summary>
/// ParaSlmInclude / ParaSlmExclude for sources that come from compile_commands.json (a .vcxproj says it per item with
/// %(ClCompile.ParaSlm)): MSBuild-style globs relative to the project folder (`src/**/*.c`, `third_party/**`), or
/// absolute. A source is processed when it matches an include pattern (or none is given) and no exclude pattern.
/// </summary>
public sealed class SourceSelection
{
    private readonly string _root;
    private readonly IReadOnlyList<Regex> _include;
    private readonly IReadOnlyList<Regex> _exclude;

    public SourceSelection(string root, IEnumerable<string> include, IEnumerable<string> exclude)
    {
        _root = Path.GetFullPath(root);
        _include = Patterns(include);
        _exclude = Patterns(exclude);
    }

    public bool IsEmpty => _include.Count == 0 && _exclude.Count == 0;

    /// <summary>Null when the source is processed; else the reason it is not, in words.</summary>
    public string? Skipped(string file)
    {
        if (IsEmpty) return null;
        var relative = Path.GetRelativePath(_root, file).Replace('\\', '/');
        var absolute = Path.GetFullPath(file).Replace('\\', '/');
        bool Matches(Regex r) => r.IsMatch(relative) || r.IsMatch(absolute);
        if (_include.Count > 0 && !_include.Any(Matches)) return "not matched by ParaSlmInclude";
        return _exclude.Any(Matches) ? "excluded by ParaSlmExclude" : null;
    }

    /// <summary>Patterns split on `;` and `,` (a `-p:` value cannot carry a bare `;`).</summary>
    public static IReadOnlyList<string> Split(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToList();

    private static List<Regex> Patterns(IEnumerable<string> globs) =>
        Split(globs).Select(g => new Regex(ToRegex(g.Replace('\\', '/')), RegexOptions.CultureInvariant | (OperatingSystem.IsWindows() ? RegexOptions.IgnoreCase : 0))).ToList();

    /// <summary>`**/` any folders (none too), `**` anything, `*` within one path segment, `?` one character.</summary>
    public static string ToRegex(string glob)
    {
        if (glob.StartsWith("./", StringComparison.Ordinal)) glob = glob[2..];
        var b = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                b.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*') b.Append("[^/]*");
            else if (c == '?') b.Append("[^/]");
            else b.Append(Regex.Escape(c.ToString()));
        }
        // A folder pattern (`vendor/`) takes everything under it.
        if (glob.EndsWith('/')) b.Append(".*");
        return b.Append('$').ToString();
    }
}
