using System.Text;
using System.Text.RegularExpressions;

namespace ParaSlm.Validation;

/// <summary>
/// Ties a sanitizer report's accesses to the parallel loops they run in: for each access (both sides of a race), its
/// source line and the loop of the first stack frame inside one of the validated loops (`write of size 4 by thread T2
/// at counter.c:3:5 in bump, called from the parallel loop at kernels.c(33,5)`). The rewritten sources carry `#line`
/// directives, so the sanitizer's frames already name the user's files and lines.
/// </summary>
public static partial class EvidenceLocator
{
    /// <summary>The failure with its accesses located (evidence and detail); unchanged when it has no sanitizer accesses.</summary>
    public static ProbeFailure Locate(ProbeFailure failure, IReadOnlyList<ValidationLoop> loops)
    {
        if (failure.Finding?.Accesses is not { Count: > 0 } accesses) return failure;
        var ranges = loops.Select(l => (Loop: l, Lines: LineRange(l))).Where(r => r.Lines is not null).ToList();
        var described = accesses.Take(2).Select(a => Describe(a, ranges!)).ToList();
        var text = string.Join("; ", described);
        return failure with
        {
            Evidence = $"{failure.Evidence}: {text}",
            Detail = failure.Detail + "\n" + string.Join("\n", described.Select(d => "- " + d)),
        };
    }

    private static string Describe(SanitizerAccess access, List<(ValidationLoop Loop, (int First, int Last)? Lines)> ranges)
    {
        var sb = new StringBuilder(access.What);
        if (access.Frames.Count == 0) return sb.Append(" (no source line: the program has no debug information there)").ToString();
        var (func, where) = Split(access.Frames[0]);
        sb.Append($" at {Short(where)} in {func}");
        for (var i = 0; i < access.Frames.Count; i++)
        {
            var (_, at) = Split(access.Frames[i]);
            var m = FileLine().Match(at);
            if (!m.Success) continue;
            var file = m.Groups["file"].Value;
            var line = int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var loop = ranges.Where(r => SameFile(r.Loop.File, file) && line >= r.Lines!.Value.First && line <= r.Lines.Value.Last)
                .OrderByDescending(r => r.Lines!.Value.First).Select(r => r.Loop).FirstOrDefault();
            if (loop is null) continue;
            sb.Append(i == 0 ? $", in the parallel loop at {Path.GetFileName(loop.File)}({loop.Loop.Line},{loop.Loop.Column})"
                             : $", called from the parallel loop at {Path.GetFileName(loop.File)}({loop.Loop.Line},{loop.Loop.Column}) ({Short(at)})");
            return sb.ToString();
        }
        return sb.Append(", outside the parallel loops").ToString();
    }

    private static (string Func, string Where) Split(string frame)
    {
        var space = frame.LastIndexOf(' ');
        return space < 0 ? (frame, frame) : (frame[..space], frame[(space + 1)..]);
    }

    private static string Short(string where)
    {
        var m = FileLine().Match(where);
        return m.Success ? $"{Path.GetFileName(m.Groups["file"].Value)}:{m.Groups["line"].Value}{m.Groups["rest"].Value}" : where;
    }

    private static bool SameFile(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>The loop's first and last line in its (original) source, from the byte offsets the engine recorded.</summary>
    private static (int First, int Last)? LineRange(ValidationLoop loop)
    {
        try
        {
            var bytes = File.ReadAllBytes(loop.File);
            if (loop.Loop.EndOffset > bytes.Length || loop.Loop.EndOffset <= loop.Loop.StartOffset) return null;
            var last = loop.Loop.Line + bytes.AsSpan(loop.Loop.StartOffset, loop.Loop.EndOffset - loop.Loop.StartOffset).Count((byte)'\n');
            return (loop.Loop.Line, last);
        }
        catch (IOException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^(?<file>.+?):(?<line>\d+)(?<rest>(?::\d+)?)$")]
    private static partial Regex FileLine();
}
