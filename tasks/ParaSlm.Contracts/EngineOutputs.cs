using System.Globalization;

namespace ParaSlm.Contracts;

/// <summary>One line of the engine's <c>paraslm.outputs.tsv</c> (ARCHITECTURE.md, "the engine contract").</summary>
public sealed class EngineOutput
{
    public EngineOutput(string original, string? rewritten, string status, int loops, int parallel)
    {
        Original = original;
        Rewritten = rewritten;
        Status = status;
        Loops = loops;
        Parallel = parallel;
    }

    public string Original { get; }

    /// <summary>The rewritten file, only when <see cref="Status"/> is <c>rewritten</c>.</summary>
    public string? Rewritten { get; }

    /// <summary><c>rewritten</c>, <c>unchanged</c> or <c>error</c>.</summary>
    public string Status { get; }

    public int Loops { get; }
    public int Parallel { get; }

    public bool IsRewritten => Status == EngineOutputs.Rewritten && Rewritten is not null;
}

public static class EngineOutputs
{
    public const string FileName = "paraslm.outputs.tsv";
    public const string Rewritten = "rewritten", Unchanged = "unchanged", Error = "error";

    /// <summary>
    /// The table, one source per line: original, rewritten (empty unless rewritten), status, loops, parallel loops,
    /// separated by tabs. Written by the engine for the build and by validation for each probe.
    /// </summary>
    public static string Format(IEnumerable<EngineOutput> outputs)
    {
        var text = new System.Text.StringBuilder();
        foreach (var o in outputs)
        {
            text.Append(o.Original).Append('\t').Append(o.IsRewritten ? o.Rewritten : string.Empty).Append('\t').Append(o.Status).Append('\t')
                .Append(o.Loops.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(o.Parallel.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Reads the table; a missing file is an empty table. Header, comment and malformed lines are skipped.</summary>
    public static IReadOnlyList<EngineOutput> Read(string path) =>
        File.Exists(path) ? Parse(File.ReadAllLines(path), Path.GetDirectoryName(Path.GetFullPath(path)) ?? string.Empty) : [];

    /// <summary>The table's lines; relative paths are resolved against <paramref name="baseDirectory"/>.</summary>
    public static IReadOnlyList<EngineOutput> Parse(IEnumerable<string> lines, string baseDirectory)
    {
        var result = new List<EngineOutput>();
        foreach (var line in lines)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split('\t');
            if (fields.Length < 3) continue;
            var status = fields[2].Trim();
            if (status is not (Rewritten or Unchanged or Error)) continue;
            var original = fields[0].Trim();
            if (original.Length == 0) continue;
            var rewritten = fields[1].Trim();
            result.Add(new EngineOutput(
                Path.GetFullPath(Path.Combine(baseDirectory, original)),
                rewritten.Length == 0 ? null : Path.GetFullPath(Path.Combine(baseDirectory, rewritten)),
                status,
                Number(fields, 3),
                Number(fields, 4)));
        }
        return result;
    }

    /// <summary>"ParaSlm: 11 files, 48 loops, 17 parallel — report: …" (the console summary after generation).</summary>
    public static string Summary(IReadOnlyList<EngineOutput> outputs, string reportFile)
    {
        var loops = outputs.Sum(o => o.Loops);
        var parallel = outputs.Sum(o => o.Parallel);
        var rewritten = outputs.Count(o => o.IsRewritten);
        var failed = outputs.Count(o => o.Status == Error);
        var text = $"ParaSlm: {Plural(outputs.Count, "file")}, {Plural(loops, "loop")}, {parallel} parallel, {rewritten} rewritten";
        if (failed > 0) text += $", {failed} not processed (see the warnings)";
        return text + " \u2014 report: " + reportFile;
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static int Number(string[] fields, int index) =>
        fields.Length > index && int.TryParse(fields[index].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
