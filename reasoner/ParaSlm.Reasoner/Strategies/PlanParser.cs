using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>A model answer read as a <see cref="ModelPlan"/>, or why it could not be.</summary>
public sealed record ModelPlanParse(ModelPlan? Plan, string? Error)
{
    public bool Success => Plan is not null;
}

/// <summary>A model plan applied to a nest: the proposal for the verifier, the loop it is for, the model's rationale.</summary>
public sealed record ParsedPlan(PlanProposal Proposal, string LoopId, int LoopLine, string Rationale);

/// <summary>A model answer read as a plan for a nest, or why it could not be.</summary>
public sealed record PlanParseResult(ParsedPlan? Plan, string? Error)
{
    public bool Success => Plan is not null;
}

/// <summary>
/// Reads a model's answer as a plan, forgiving the way 1–1.5B models write JSON: raw JSON, JSON in ``` fences or
/// between prose, trailing commas, single values where arrays belong, clause strings (`reduction(+:s)`),
/// operators in words (`sum`, `maximum`), synonyms for field names (`reason`, `line`, `parallel`). It never throws;
/// garbage gives an error. Leniency is safe because nothing read here is trusted: the verifier checks every field
/// that matters against the analyzer's facts, and the one field it does not check (the schedule, which becomes
/// pragma text) is only accepted from a closed list.
/// </summary>
public static partial class PlanParser
{
    private const int MaxRationaleLength = 400;

    // Field names after normalization (lower case, letters and digits only).
    private static readonly string[] DecisionKeys = ["parallelize", "parallelise", "parallel", "parallelizable", "parallelisable", "shouldparallelize", "isparallel", "parallelizeloop", "doparallelize"];
    private static readonly string[] ActionKeys = ["action", "decision", "mode"];
    private static readonly string[] TargetKeys = ["target", "device", "backend", "platform"];
    private static readonly string[] ClauseKeys = ["clauses", "pragma", "directive", "openmp", "omp"];
    private static readonly string[] LineKeys = ["loopline", "line", "loop", "loopid", "forline", "looptoparallelize", "parallelizeline", "chosenloop"];
    private static readonly string[] PrivateKeys = ["private", "privatevars", "privatevariables", "privates"];
    private static readonly string[] LastPrivateKeys = ["lastprivate", "lastprivatevars", "lastprivatevariables"];
    private static readonly string[] ReductionKeys = ["reductions", "reduction", "reductionvars", "reductionvariables"];
    private static readonly string[] CollapseKeys = ["collapse", "collapsedepth"];
    private static readonly string[] ScheduleKeys = ["schedule", "scheduling"];
    private static readonly string[] RationaleKeys = ["rationale", "reason", "reasoning", "explanation", "why", "justification", "comment"];

    private static readonly HashSet<string> TypeWords = new(StringComparer.Ordinal)
    {
        "int", "float", "double", "char", "long", "short", "unsigned", "signed", "const", "size_t", "bool", "auto",
        "volatile", "static", "struct", "register", "restrict", "void", "none", "null", "nil", "empty", "na", "private",
        "lastprivate", "reduction", "shared", "firstprivate", "var", "vars", "variable", "variables",
    };

    /// <summary>Reads the plan in a model's answer, without applying it to a nest.</summary>
    public static ModelPlanParse Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new ModelPlanParse(null, "the model's answer is empty");
        var objects = LenientJson.Objects(text, IsPlanLike);
        if (objects.Count == 0)
            return new ModelPlanParse(null, text.Contains('{')
                ? "no JSON object in the model's answer has a plan decision (\"parallelize\" or \"target\")"
                : "the model's answer contains no JSON object");
        return FromObject(Pick(objects));
    }

    /// <summary>Reads the plan in a model's answer and applies it to the nest (see <see cref="Resolve"/>).</summary>
    public static PlanParseResult Parse(string? text, PlanningInput input)
    {
        var parsed = Parse(text);
        return parsed.Plan is { } plan ? new PlanParseResult(Resolve(plan, input), null) : new PlanParseResult(null, parsed.Error);
    }

    /// <summary>
    /// The proposal for the nest: the loop named by line (the outer loop when the line names none of the nest's
    /// loops), the CPU when the plan is parallel without a target or names a GPU although the user asked for the CPU.
    /// </summary>
    public static ParsedPlan Resolve(ModelPlan plan, PlanningInput input)
    {
        var loop = input.Nest.FirstOrDefault(l => plan.LoopLine is { } line && l.Line == line) ?? input.Loop;
        if (!plan.Parallelize) return new ParsedPlan(PlanProposal.Sequential, loop.Id, loop.Line, plan.Rationale);
        var target = plan.Target;
        if (target == ParallelTarget.None || !ModelPlanSchema.TargetsFor(input.TargetPreference).Contains(ModelPlanSchema.TargetName(target)))
            target = ParallelTarget.CpuOpenMP;
        var proposal = new PlanProposal(true, target, plan.Private, plan.LastPrivate, plan.Reductions, plan.Collapse, plan.Schedule);
        return new ParsedPlan(proposal, loop.Id, loop.Line, plan.Rationale);
    }

    /// <summary>Reads a plan from one JSON object (already known to carry a decision).</summary>
    internal static ModelPlanParse FromObject(JsonObject obj)
    {
        var fields = Fields(obj);
        var target = ParseTarget(AsText(Get(fields, TargetKeys)));
        var clauses = AsText(Get(fields, ClauseKeys));
        var parallel = AsBool(Get(fields, DecisionKeys)) ?? ActionDecision(AsText(Get(fields, ActionKeys)));
        parallel ??= target is { } t ? t != ParallelTarget.None : null;
        parallel ??= clauses is not null && clauses.Contains("parallel", StringComparison.OrdinalIgnoreCase) ? true : null;
        if (parallel is not { } decision)
            return new ModelPlanParse(null, "the plan does not say whether to parallelize (\"parallelize\": true|false)");

        var fromClauses = clauses is null ? ClauseSet.Empty : ParseClauses(clauses);
        var priv = Has(fields, PrivateKeys) ? Names(Get(fields, PrivateKeys)) : fromClauses.Private;
        var last = Has(fields, LastPrivateKeys) ? Names(Get(fields, LastPrivateKeys)) : fromClauses.LastPrivate;
        var reductions = Has(fields, ReductionKeys) ? Reductions(Get(fields, ReductionKeys)) : fromClauses.Reductions;
        var collapse = Has(fields, CollapseKeys) ? Collapse(Get(fields, CollapseKeys)) : fromClauses.Collapse;
        var schedule = Has(fields, ScheduleKeys) ? Schedule(Get(fields, ScheduleKeys)) : fromClauses.Schedule;

        var plan = new ModelPlan(
            decision,
            Line(Get(fields, LineKeys)),
            decision ? target ?? ParallelTarget.CpuOpenMP : ParallelTarget.None,
            decision ? priv : [],
            decision ? last : [],
            decision ? reductions : [],
            decision ? collapse : 1,
            decision ? schedule : null,
            Rationale(Get(fields, RationaleKeys)));
        return new ModelPlanParse(plan, null);
    }

    /// <summary>An OpenMP reduction operator from however a model spells it, or null.</summary>
    public static string? ReductionOperator(string? text)
    {
        if (text is null) return null;
        var t = text.Trim().ToLowerInvariant();
        if (t.Length > 1 && t.EndsWith('=') && t[..^1] is "+" or "*" or "-" or "&" or "|" or "^") t = t[..^1];
        if (t != "-") t = t.Replace('_', ' ').Replace('-', ' ').Trim(); // "bitwise-and", "logical_or"
        return t switch
        {
            "+" or "plus" or "add" or "addition" or "sum" or "summation" or "accumulate" => "+",
            "*" or "mul" or "mult" or "multiply" or "multiplication" or "product" or "prod" or "times" => "*",
            "-" or "minus" or "sub" or "subtract" or "subtraction" or "difference" => "-",
            "max" or "maximum" or "fmax" or "maxval" => "max",
            "min" or "minimum" or "fmin" or "minval" => "min",
            "&" or "bitand" or "bitwise and" or "band" => "&",
            "|" or "bitor" or "bitwise or" or "bor" => "|",
            "^" or "xor" or "bitxor" or "bitwise xor" => "^",
            "&&" or "and" or "land" or "logical and" or "logicaland" => "&&",
            "||" or "or" or "lor" or "logical or" or "logicalor" => "||",
            _ => null,
        };
    }

    /// <summary>A target from however a model spells it (`CPU_OpenMP`, `cuda`, `gpu offload`), or null.</summary>
    public static ParallelTarget? ParseTarget(string? text)
    {
        if (text is null) return null;
        var t = text.Trim().ToLowerInvariant().Replace('_', '-').Replace(' ', '-');
        if (t.Length == 0 || t is "none" or "no" or "sequential" or "serial" or "null" or "n/a" or "host-serial") return ParallelTarget.None;
        if (t.Contains("cuda", StringComparison.Ordinal)) return ParallelTarget.GpuCuda;
        if (t.Contains("offload", StringComparison.Ordinal) || t.Contains("gpu", StringComparison.Ordinal) ||
            t.Contains("target", StringComparison.Ordinal) || t.Contains("device", StringComparison.Ordinal))
            return ParallelTarget.GpuOpenMPOffload; // "gpu" alone: OpenMP offload keeps one code path for CPU and GPU
        if (t.Contains("cpu", StringComparison.Ordinal) || t.Contains("openmp", StringComparison.Ordinal) ||
            t.Contains("omp", StringComparison.Ordinal) || t.Contains("thread", StringComparison.Ordinal) ||
            t.Contains("multicore", StringComparison.Ordinal) || t.Contains("parallel", StringComparison.Ordinal))
            return ParallelTarget.CpuOpenMP;
        return null;
    }

    private static bool IsPlanLike(JsonObject o)
    {
        var keys = o.Select(p => Normalize(p.Key)).ToHashSet(StringComparer.Ordinal);
        return DecisionKeys.Concat(ActionKeys).Concat(TargetKeys).Concat(ClauseKeys).Any(keys.Contains);
    }

    /// <summary>
    /// Several plan-like objects: a list of per-loop plans (they name different lines) gives the first that
    /// parallelizes, the way the prompt lists loops outermost first; otherwise the last one wins, because models
    /// restate an example or a draft before their answer.
    /// </summary>
    private static JsonObject Pick(IReadOnlyList<JsonObject> objects)
    {
        if (objects.Count == 1) return objects[0];
        var lines = objects.Select(o => Line(Get(Fields(o), LineKeys))).Where(l => l is not null).Distinct().Count();
        if (lines > 1)
            return objects.FirstOrDefault(o => FromObject(o).Plan is { Parallelize: true }) ?? objects[0];
        return objects[^1];
    }

    private static Dictionary<string, JsonNode?> Fields(JsonObject obj)
    {
        var d = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in obj) d[Normalize(key)] = value; // a repeated field: the last one counts
        return d;
    }

    private static string Normalize(string key) =>
        new(key.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static bool Has(Dictionary<string, JsonNode?> fields, string[] keys) => keys.Any(fields.ContainsKey);

    private static JsonNode? Get(Dictionary<string, JsonNode?> fields, string[] keys)
    {
        foreach (var k in keys)
            if (fields.TryGetValue(k, out var v)) return v;
        return null;
    }

    private static string? AsText(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        JsonArray a => string.Join(" ", a.Select(AsText).Where(s => s is not null)),
        _ => null,
    };

    private static bool? AsBool(JsonNode? node)
    {
        if (node is JsonArray { Count: > 0 } a) return AsBool(a[0]);
        if (node is not JsonValue v) return null;
        switch (v.GetValueKind())
        {
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Number: return Number(v) is { } d ? d != 0 : null;
            case JsonValueKind.String:
                return v.GetValue<string>().Trim().ToLowerInvariant() switch
                {
                    "true" or "yes" or "y" or "1" or "parallel" or "parallelize" or "parallelise" => true,
                    "false" or "no" or "n" or "0" or "sequential" or "serial" or "none" => false,
                    _ => null,
                };
            default: return null;
        }
    }

    private static bool? ActionDecision(string? text)
    {
        var t = text?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(t)) return null;
        if (t.Contains("not parallel", StringComparison.Ordinal) || t.Contains("sequential", StringComparison.Ordinal) ||
            t.Contains("serial", StringComparison.Ordinal) || t is "no" or "none" or "false" or "skip")
            return false;
        return t.Contains("parallel", StringComparison.Ordinal) || t is "yes" or "true" ? true : null;
    }

    /// <summary>
    /// A number from a JSON value, whatever its backing: values read by <see cref="LenientJson"/> hold a long or a
    /// double, and <c>TryGetValue&lt;double&gt;</c> does not convert a long.
    /// </summary>
    private static double? Number(JsonValue v)
    {
        if (v.GetValueKind() != JsonValueKind.Number) return null;
        if (v.TryGetValue<long>(out var l)) return l;
        if (v.TryGetValue<double>(out var d)) return d;
        if (v.TryGetValue<int>(out var i)) return i;
        return double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : null;
    }

    private static int? Line(JsonNode? node)
    {
        if (node is JsonArray { Count: > 0 } a) return Line(a[0]);
        if (node is JsonValue v && Number(v) is { } d)
            return d is >= 1 and <= int.MaxValue ? (int)d : null;
        var text = AsText(node);
        if (text is null) return null;
        // A loop id `file.c:12:5` names its line before the column.
        var id = LoopIdLine().Match(text);
        if (id.Success) return int.Parse(id.Groups[1].Value, CultureInfo.InvariantCulture);
        var first = FirstNumber().Match(text);
        return first.Success && int.TryParse(first.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : null;
    }

    /// <summary>Variable names from a list, a single string, a comma list or clause text (`private(t, u)`).</summary>
    private static IReadOnlyList<string> Names(JsonNode? node)
    {
        var names = new List<string>();
        void Add(JsonNode? n)
        {
            switch (n)
            {
                case JsonArray a:
                    foreach (var item in a) Add(item);
                    break;
                case JsonObject o:
                    foreach (var (k, v) in o) Add(v ?? JsonValue.Create(k));
                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    names.AddRange(NamesIn(v.GetValue<string>()));
                    break;
            }
        }
        Add(node);
        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> NamesIn(string text)
    {
        var inner = ClauseBody().Match(text) is { Success: true } m ? m.Groups[1].Value : text;
        foreach (var piece in inner.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var words = Identifier().Matches(piece).Select(x => x.Value).Where(w => !TypeWords.Contains(w.ToLowerInvariant())).ToList();
            // `double *p` declares p: the last word is the variable; `t u` lists two.
            if (words.Count == 0) continue;
            if (Identifier().Matches(piece).Count > words.Count) yield return words[^1];
            else foreach (var w in words) yield return w;
        }
    }

    private static IReadOnlyList<Reduction> Reductions(JsonNode? node)
    {
        var list = new List<Reduction>();
        void AddMany(string? op, IEnumerable<string> vars)
        {
            if (op is null) return;
            foreach (var v in vars) list.Add(new Reduction(op, v));
        }
        void Add(JsonNode? n)
        {
            switch (n)
            {
                case JsonArray a:
                    foreach (var item in a) Add(item);
                    break;
                case JsonObject o:
                {
                    var f = Fields(o);
                    var opNode = Get(f, ["op", "operator", "operation", "type", "kind", "reduction", "reductionop"]);
                    var varNode = Get(f, ["var", "variable", "name", "vars", "variables", "target", "on"]);
                    if (opNode is not null || varNode is not null)
                    {
                        AddMany(ReductionOperator(AsText(opNode)), Names(varNode));
                        break;
                    }
                    // A map: {"s": "+"} or {"+": ["s"]}.
                    foreach (var (k, v) in o)
                    {
                        if (ReductionOperator(k) is { } op) AddMany(op, Names(v));
                        else if (ReductionOperator(AsText(v)) is { } op2) AddMany(op2, NamesIn(k));
                    }
                    break;
                }
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    list.AddRange(ReductionsIn(v.GetValue<string>()));
                    break;
            }
        }
        Add(node);
        return list.Distinct().ToList();
    }

    /// <summary>`reduction(+:s)`, `+:s`, `s:+`, `sum:s`, `s (sum)`, `max m`.</summary>
    private static IEnumerable<Reduction> ReductionsIn(string text)
    {
        var clauses = ReductionClause().Matches(text);
        if (clauses.Count > 0)
        {
            foreach (Match c in clauses)
                foreach (var r in ReductionsIn(c.Groups[1].Value)) yield return r;
            yield break;
        }
        var colon = text.IndexOf(':');
        if (colon >= 0)
        {
            var left = text[..colon];
            var right = text[(colon + 1)..];
            if (ReductionOperator(left) is { } op)
                foreach (var v in NamesIn(right)) yield return new Reduction(op, v);
            else if (ReductionOperator(right) is { } op2)
                foreach (var v in NamesIn(left)) yield return new Reduction(op2, v);
            yield break;
        }
        var tokens = ReductionToken().Matches(text).Select(m => m.Value).ToList();
        var opToken = tokens.Select(ReductionOperator).FirstOrDefault(o => o is not null);
        if (opToken is null) yield break;
        foreach (var t in tokens)
            if (ReductionOperator(t) is null && Identifier().IsMatch(t) && !TypeWords.Contains(t.ToLowerInvariant()))
                yield return new Reduction(opToken, t);
    }

    private static int Collapse(JsonNode? node)
    {
        if (node is JsonValue v && Number(v) is { } d)
            return d is >= 1 and <= 8 ? (int)d : 1;
        var text = AsText(node);
        return text is not null && FirstNumber().Match(text) is { Success: true } m &&
               int.TryParse(m.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 8 ? n : 1;
    }

    /// <summary>
    /// A schedule from a closed list (`dynamic`, `dynamic, 4`), or null. It becomes pragma text and the verifier does
    /// not check it, so nothing else gets through: `static) num_threads(1` must never reach the generator.
    /// </summary>
    private static string? Schedule(JsonNode? node)
    {
        string? kind;
        string? chunk = null;
        if (node is JsonObject o)
        {
            var f = Fields(o);
            kind = AsText(Get(f, ["kind", "type", "schedule", "name"]));
            chunk = AsText(Get(f, ["chunk", "chunksize", "size"]));
        }
        else
        {
            kind = AsText(node);
        }
        if (kind is null) return null;
        var m = ScheduleText().Match(kind.Trim());
        if (!m.Success) return null;
        var k = m.Groups[1].Value.ToLowerInvariant();
        if (!ModelPlanSchema.ScheduleKinds.Contains(k)) return null;
        chunk = m.Groups[2].Success ? m.Groups[2].Value : chunk;
        return chunk is not null && int.TryParse(chunk.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c is >= 1 and <= 1_000_000
            ? string.Create(CultureInfo.InvariantCulture, $"{k}, {c}")
            : k;
    }

    private static string Rationale(JsonNode? node)
    {
        var text = AsText(node) ?? string.Empty;
        var collapsed = Whitespace().Replace(text, " ").Trim();
        return collapsed.Length <= MaxRationaleLength ? collapsed : collapsed[..MaxRationaleLength].TrimEnd() + "…";
    }

    private sealed record ClauseSet(IReadOnlyList<string> Private, IReadOnlyList<string> LastPrivate, IReadOnlyList<Reduction> Reductions, int Collapse, string? Schedule)
    {
        public static ClauseSet Empty { get; } = new([], [], [], 1, null);
    }

    /// <summary>Clauses from pragma text: `#pragma omp parallel for private(t) reduction(+:s) collapse(2)`.</summary>
    private static ClauseSet ParseClauses(string text)
    {
        var priv = new List<string>();
        var last = new List<string>();
        var reductions = new List<Reduction>();
        var collapse = 1;
        string? schedule = null;
        foreach (Match m in Clause().Matches(text))
        {
            var name = m.Groups[1].Value.ToLowerInvariant();
            var body = m.Groups[2].Value;
            switch (name)
            {
                case "private": priv.AddRange(NamesIn(body)); break;
                case "lastprivate": last.AddRange(NamesIn(body)); break;
                case "reduction": reductions.AddRange(ReductionsIn(body)); break;
                case "collapse": collapse = Collapse(JsonValue.Create(body)); break;
                case "schedule": schedule = Schedule(JsonValue.Create(body)); break;
            }
        }
        return new ClauseSet(priv.Distinct().ToList(), last.Distinct().ToList(), reductions.Distinct().ToList(), collapse, schedule);
    }

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\d+")]
    private static partial Regex FirstNumber();

    [GeneratedRegex(@":(\d+):\d+\s*$")]
    private static partial Regex LoopIdLine();

    [GeneratedRegex(@"^\s*[A-Za-z]*\s*\((.*)\)\s*$", RegexOptions.Singleline)]
    private static partial Regex ClauseBody();

    [GeneratedRegex(@"reduction\s*\(([^)]*)\)", RegexOptions.IgnoreCase)]
    private static partial Regex ReductionClause();

    [GeneratedRegex(@"&&|\|\||[+*\-&|^]=?|[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex ReductionToken();

    [GeneratedRegex(@"\b(private|lastprivate|reduction|collapse|schedule)\s*\(([^)]*)\)", RegexOptions.IgnoreCase)]
    private static partial Regex Clause();

    [GeneratedRegex(@"^(?:schedule\s*\()?\s*([A-Za-z]+)\s*(?:,\s*(\d+)\s*)?\)?$", RegexOptions.IgnoreCase)]
    private static partial Regex ScheduleText();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
