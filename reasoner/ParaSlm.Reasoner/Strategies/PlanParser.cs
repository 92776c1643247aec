using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>A model answer read as a <see cref="ModelPlan"/>, or why it could not be.</summary>
/// <param name="Code">The <see cref="ModelAnswerCodes"/> code when the answer is not a usable plan.</param>
public sealed record ModelPlanParse(ModelPlan? Plan, string? Error, string? Code = null)
{
    public bool Success => Plan is not null;
}

/// <summary>A model plan applied to a nest: the proposal for the verifier, the loop it is for, the model's rationale.</summary>
public sealed record ParsedPlan(PlanProposal Proposal, string LoopId, int LoopLine, string Rationale);

/// <summary>A model answer read as a plan for a nest, or why it could not be.</summary>
/// <param name="Code">The <see cref="ModelAnswerCodes"/> code when the answer is not a usable plan for the nest.</param>
public sealed record PlanParseResult(ParsedPlan? Plan, string? Error, string? Code = null)
{
    public bool Success => Plan is not null;
}

/// <summary>
/// Reads a model's answer as a plan. Lenient about the answer's <em>shape</em>, the way 1–1.5B models write JSON: raw
/// JSON, JSON in ``` fences or between prose, trailing commas, single values where arrays belong, clause strings
/// (`reduction(+:s)`), operators in words (`sum`, `maximum`), synonyms for field names (`reason`, `line`, `parallel`).
/// Strict about every <em>value</em>: a loop line that is not a loop of the nest, a name that is not a variable of the
/// loop (`""`, `a[i]`), an unknown clause kind or reduction operator, a schedule, collapse or target outside its closed
/// list makes the whole plan invalid with a <see cref="ModelAnswerCodes"/> code and the evidence — never a silently
/// defaulted plan. It never throws; garbage gives an error. A rationale that is not prose is dropped.
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
        if (string.IsNullOrWhiteSpace(text)) return new ModelPlanParse(null, "the model's answer is empty", ModelAnswerCodes.NoPlan);
        var objects = LenientJson.Objects(text, IsPlanLike);
        if (objects.Count == 0)
            return new ModelPlanParse(null, text.Contains('{')
                ? "no JSON object in the model's answer has a plan decision (\"parallelize\" or \"target\")"
                : "the model's answer contains no JSON object", ModelAnswerCodes.NoPlan);
        return FromObject(Pick(objects));
    }

    /// <summary>Reads the plan in a model's answer and applies it to the nest (see <see cref="Resolve"/>).</summary>
    public static PlanParseResult Parse(string? text, PlanningInput input)
    {
        var parsed = Parse(text);
        return parsed.Plan is { } plan ? Resolve(plan, input) : new PlanParseResult(null, parsed.Error, parsed.Code);
    }

    /// <summary>
    /// The proposal for the nest, checked against it: `loop_line` must be the line of one of the nest's loops (it may
    /// be left out only when the nest has one loop, or the plan parallelizes nothing), every name must be a variable
    /// of the nest (an identifier its source or its facts use), and the target must be one the user allows.
    /// </summary>
    public static PlanParseResult Resolve(ModelPlan plan, PlanningInput input)
    {
        LoopFacts loop;
        if (plan.LoopLine is { } line)
        {
            var named = input.Nest.Where(l => l.Line == line).ToList();
            if (named.Count == 0)
                return Invalid(ModelAnswerCodes.BadLoopLine, $"loop_line {line} is not the line of a `for` of this nest (its loops are on lines {LoopLines(input)})");
            loop = named[0];
        }
        else if (!plan.Parallelize || input.Nest.Count <= 1)
        {
            loop = input.Loop;
        }
        else
        {
            return Invalid(ModelAnswerCodes.BadLoopLine, $"the plan parallelizes without naming its loop (loop_line) and the nest has {input.Nest.Count} loops (lines {LoopLines(input)})");
        }
        if (!plan.Parallelize) return new PlanParseResult(new ParsedPlan(PlanProposal.Sequential, loop.Id, loop.Line, plan.Rationale), null);
        var target = plan.Target;
        if (!ModelPlanSchema.TargetsFor(input.TargetPreference).Contains(ModelPlanSchema.TargetName(target)))
            return Invalid(ModelAnswerCodes.BadValue, $"target \"{ModelPlanSchema.TargetName(target)}\" is not allowed here (ParaSlmTarget {input.TargetPreference}: {string.Join(", ", ModelPlanSchema.TargetsFor(input.TargetPreference))})");
        var known = VariablesOf(input);
        foreach (var (field, name) in plan.Private.Select(n => ("private", n))
                     .Concat(plan.LastPrivate.Select(n => ("lastprivate", n)))
                     .Concat(plan.Reductions.Select(r => ("reductions", r.Variable))))
            if (!known.Contains(name))
                return Invalid(ModelAnswerCodes.UnknownVariable, $"{field}: \"{name}\" is not a variable of the loop at line {loop.Line}");
        var proposal = new PlanProposal(true, target, plan.Private, plan.LastPrivate, plan.Reductions, plan.Collapse, plan.Schedule);
        return new PlanParseResult(new ParsedPlan(proposal, loop.Id, loop.Line, plan.Rationale), null);

        static PlanParseResult Invalid(string code, string evidence) => new(null, evidence, code);
    }

    private static string LoopLines(PlanningInput input) =>
        string.Join(", ", input.Nest.Select(l => l.Line.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The names a clause of this nest may use: identifiers of its source text and every name its facts mention.</summary>
    private static HashSet<string> VariablesOf(PlanningInput input)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Identifier().Matches(input.SourceText)) names.Add(m.Value);
        foreach (var l in input.Nest.Append(input.Loop))
        {
            names.UnionWith(l.Private);
            names.UnionWith(l.LastPrivate);
            names.UnionWith(l.Reductions.Select(r => r.Variable));
            names.UnionWith(l.Scalars.Select(x => x.Name));
            names.UnionWith(l.Accesses.Select(a => a.Array));
        }
        return names;
    }

    /// <summary>Reads a plan from one JSON object (already known to carry a decision); an invalid value makes it invalid.</summary>
    internal static ModelPlanParse FromObject(JsonObject obj)
    {
        var fields = Fields(obj);
        var problems = new Problems();
        var targetText = AsText(Get(fields, TargetKeys));
        var target = ParseTarget(targetText);
        if (targetText is not null && target is null)
            problems.Add(ModelAnswerCodes.BadValue, $"target \"{Clip(targetText)}\" is none of {string.Join(", ", ModelPlanSchema.AllTargets)}");
        var clauses = AsText(Get(fields, ClauseKeys));
        var parallel = AsBool(Get(fields, DecisionKeys)) ?? ActionDecision(AsText(Get(fields, ActionKeys)));
        parallel ??= target is { } t ? t != ParallelTarget.None : null;
        parallel ??= clauses is not null && clauses.Contains("parallel", StringComparison.OrdinalIgnoreCase) ? true : null;
        if (parallel is not { } decision)
            return new ModelPlanParse(null, "the plan does not say whether to parallelize (\"parallelize\": true|false)", ModelAnswerCodes.NoPlan);
        if (decision && target == ParallelTarget.None)
            problems.Add(ModelAnswerCodes.BadValue, $"\"parallelize\": true contradicts target \"{Clip(targetText ?? string.Empty)}\"");

        var fromClauses = clauses is null ? ClauseSet.Empty : ParseClauses(clauses, problems);
        var priv = Has(fields, PrivateKeys) ? Names(Get(fields, PrivateKeys), "private", problems) : fromClauses.Private;
        var last = Has(fields, LastPrivateKeys) ? Names(Get(fields, LastPrivateKeys), "lastprivate", problems) : fromClauses.LastPrivate;
        var reductions = Has(fields, ReductionKeys) ? Reductions(Get(fields, ReductionKeys), problems) : fromClauses.Reductions;
        var collapse = Has(fields, CollapseKeys) ? Collapse(Get(fields, CollapseKeys), problems) : fromClauses.Collapse;
        var schedule = Has(fields, ScheduleKeys) ? Schedule(Get(fields, ScheduleKeys), problems) : fromClauses.Schedule;
        var line = Line(Get(fields, LineKeys), problems);
        if (problems.First is { } problem) return new ModelPlanParse(null, problem.Evidence, problem.Code);

        var plan = new ModelPlan(
            decision,
            line,
            decision ? target ?? ParallelTarget.CpuOpenMP : ParallelTarget.None,
            decision ? priv : [],
            decision ? last : [],
            decision ? reductions : [],
            decision ? collapse : 1,
            decision ? schedule : null,
            Rationale(Get(fields, RationaleKeys)));
        return new ModelPlanParse(plan, null);
    }

    /// <summary>The first invalid value found (the one reported) — later ones would only repeat the verdict.</summary>
    private sealed class Problems
    {
        public (string Code, string Evidence)? First { get; private set; }

        public void Add(string code, string evidence) => First ??= (code, evidence);
    }

    private static string Clip(string text)
    {
        var t = Whitespace().Replace(text, " ").Trim();
        return t.Length <= 60 ? t : t[..60] + "…";
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
        var lines = objects.Select(o => Line(Get(Fields(o), LineKeys), new Problems())).Where(l => l is not null).Distinct().Count();
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

    /// <summary>The loop line: null when not given; anything given that is not a positive line number is invalid.</summary>
    private static int? Line(JsonNode? node, Problems problems)
    {
        if (node is JsonArray { Count: > 0 } a) return Line(a[0], problems);
        if (node is null || node is JsonValue { } nv && nv.GetValueKind() == JsonValueKind.Null) return null;
        if (node is JsonValue v && Number(v) is { } d)
        {
            if (d is >= 1 and <= int.MaxValue && d == Math.Floor(d)) return (int)d;
            problems.Add(ModelAnswerCodes.BadLoopLine, $"loop_line {v.ToJsonString()} is not a line number");
            return null;
        }
        var text = AsText(node);
        if (text is not null)
        {
            // A loop id `file.c:12:5` names its line before the column; `line 12`, `L12` name it in words.
            var id = LoopIdLine().Match(text);
            if (id.Success) return int.Parse(id.Groups[1].Value, CultureInfo.InvariantCulture);
            if (LineInWords().Match(text) is { Success: true } m && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1)
                return n;
        }
        problems.Add(ModelAnswerCodes.BadLoopLine, $"loop_line \"{Clip(text ?? node.ToJsonString())}\" is not a line number");
        return null;
    }

    /// <summary>
    /// Variable names from a list, a single string, a comma list or clause text (`private(t, u)`), declarations
    /// (`double *p` is p). A placeholder (`none`) means no name; anything else that is not a name is invalid.
    /// </summary>
    private static IReadOnlyList<string> Names(JsonNode? node, string field, Problems problems)
    {
        var names = new List<string>();
        void Add(JsonNode? n)
        {
            switch (n)
            {
                case null:
                    break;
                case JsonArray a:
                    foreach (var item in a) Add(item);
                    break;
                case JsonObject o:
                    foreach (var (k, v) in o) Add(v ?? JsonValue.Create(k));
                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    names.AddRange(NamesIn(v.GetValue<string>(), field, problems));
                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.Null:
                    break;
                default:
                    problems.Add(ModelAnswerCodes.UnknownVariable, $"{field}: {Clip(n.ToJsonString())} is not a variable name");
                    break;
            }
        }
        Add(node);
        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> NamesIn(string text, string field, Problems problems)
    {
        if (Placeholders.Contains(text.Trim().ToLowerInvariant())) return [];
        var inner = ClauseBody().Match(text) is { Success: true } m ? m.Groups[1].Value : text;
        var names = new List<string>();
        var pieces = inner.Split([',', ';'], StringSplitOptions.TrimEntries);
        // `t,` (a trailing comma) is forgiven; an empty entry on its own (`""`) is not a name.
        if (pieces.Length > 1 && pieces[^1].Length == 0) pieces = pieces[..^1];
        foreach (var piece in pieces)
        {
            if (Placeholders.Contains(piece.ToLowerInvariant())) continue;
            var all = Identifier().Matches(piece).Select(x => x.Value).ToList();
            var words = all.Where(w => !TypeWords.Contains(w.ToLowerInvariant())).ToList();
            if (words.Count == 0 || !Declaration().IsMatch(piece))
            {
                problems.Add(ModelAnswerCodes.UnknownVariable, $"{field}: \"{Clip(piece)}\" is not a variable name");
                continue;
            }
            // `double *p` declares p: the last word is the variable; `t u` lists two.
            if (all.Count > words.Count) names.Add(words[^1]);
            else names.AddRange(words);
        }
        return names;
    }

    private static readonly HashSet<string> Placeholders = new(StringComparer.Ordinal) { "none", "null", "nil", "n/a", "na", "empty", "-" };

    private static IReadOnlyList<Reduction> Reductions(JsonNode? node, Problems problems)
    {
        var list = new List<Reduction>();
        void AddMany(string? opText, IEnumerable<string> vars)
        {
            var names = vars.ToList();
            if (ReductionOperator(opText) is not { } op)
            {
                problems.Add(ModelAnswerCodes.UnknownClause, $"reduction operator \"{Clip(opText ?? "(none)")}\" is none of {string.Join(" ", ModelPlanSchema.ReductionOperators)}");
                return;
            }
            if (names.Count == 0) problems.Add(ModelAnswerCodes.UnknownVariable, $"reduction({op}: …) names no variable");
            foreach (var v in names) list.Add(new Reduction(op, v));
        }
        void Add(JsonNode? n)
        {
            switch (n)
            {
                case null:
                    break;
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
                        AddMany(AsText(opNode), Names(varNode, "reductions", problems));
                        break;
                    }
                    // A map: {"s": "+"} or {"+": ["s"]}.
                    foreach (var (k, v) in o)
                    {
                        if (ReductionOperator(k) is not null) AddMany(k, Names(v, "reductions", problems));
                        else if (ReductionOperator(AsText(v)) is not null) AddMany(AsText(v), NamesIn(k, "reductions", problems));
                        else problems.Add(ModelAnswerCodes.UnknownClause, $"reductions: {Clip(new JsonObject { [k] = v?.DeepClone() }.ToJsonString())} names no reduction operator");
                    }
                    break;
                }
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                {
                    var text = v.GetValue<string>();
                    if (Placeholders.Contains(text.Trim().ToLowerInvariant())) break;
                    var found = ReductionsIn(text, problems).ToList();
                    if (found.Count == 0) problems.Add(ModelAnswerCodes.UnknownClause, $"reductions: \"{Clip(text)}\" is not a reduction (operator and variable)");
                    list.AddRange(found);
                    break;
                }
                case JsonValue v when v.GetValueKind() == JsonValueKind.Null:
                    break;
                default:
                    problems.Add(ModelAnswerCodes.UnknownClause, $"reductions: {Clip(n.ToJsonString())} is not a reduction");
                    break;
            }
        }
        Add(node);
        return list.Distinct().ToList();
    }

    /// <summary>`reduction(+:s)`, `+:s`, `s:+`, `sum:s`, `s (sum)`, `max m`.</summary>
    private static IEnumerable<Reduction> ReductionsIn(string text, Problems problems)
    {
        var clauses = ReductionClause().Matches(text);
        if (clauses.Count > 0)
        {
            foreach (Match c in clauses)
                foreach (var r in ReductionsIn(c.Groups[1].Value, problems)) yield return r;
            yield break;
        }
        var colon = text.IndexOf(':');
        if (colon >= 0)
        {
            var left = text[..colon];
            var right = text[(colon + 1)..];
            if (ReductionOperator(left) is { } op)
                foreach (var v in NamesIn(right, "reductions", problems)) yield return new Reduction(op, v);
            else if (ReductionOperator(right) is { } op2)
                foreach (var v in NamesIn(left, "reductions", problems)) yield return new Reduction(op2, v);
            yield break;
        }
        var tokens = ReductionToken().Matches(text).Select(m => m.Value).ToList();
        var opToken = tokens.Select(ReductionOperator).FirstOrDefault(o => o is not null);
        if (opToken is null) yield break;
        foreach (var t in tokens)
            if (ReductionOperator(t) is null && Identifier().IsMatch(t) && !TypeWords.Contains(t.ToLowerInvariant()))
                yield return new Reduction(opToken, t);
    }

    /// <summary>Collapse depth: 1 when not given; anything given must be an integer 1–8.</summary>
    private static int Collapse(JsonNode? node, Problems problems)
    {
        if (node is null || node is JsonValue nv && nv.GetValueKind() == JsonValueKind.Null) return 1;
        if (node is JsonValue v && Number(v) is { } d)
        {
            if (d is >= 1 and <= 8 && d == Math.Floor(d)) return (int)d;
        }
        else if (AsText(node) is { } text && CollapseText().Match(text.Trim()) is { Success: true } m &&
                 int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 8)
        {
            return n;
        }
        problems.Add(ModelAnswerCodes.BadValue, $"collapse {Clip(node.ToJsonString())} is not a depth from 1 to 8");
        return 1;
    }

    /// <summary>
    /// A schedule from a closed list (`dynamic`, `dynamic, 4`), null when not given (or `none`); anything else is
    /// invalid. It becomes pragma text and the verifier does not check it: `static) num_threads(1` must never reach
    /// the generator.
    /// </summary>
    private static string? Schedule(JsonNode? node, Problems problems)
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
            kind = node is JsonValue v && v.GetValueKind() == JsonValueKind.Null ? null : AsText(node);
        }
        if (kind is null || Placeholders.Contains(kind.Trim().ToLowerInvariant())) return null;
        var m = ScheduleText().Match(kind.Trim());
        var k = m.Success ? m.Groups[1].Value.ToLowerInvariant() : null;
        chunk = m.Success && m.Groups[2].Success ? m.Groups[2].Value : chunk;
        var chunkOk = chunk is null || int.TryParse(chunk.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var c0) && c0 is >= 1 and <= 1_000_000;
        if (k is null || !ModelPlanSchema.ScheduleKinds.Contains(k) || !chunkOk)
        {
            problems.Add(ModelAnswerCodes.BadValue, $"schedule \"{Clip(kind + (chunk is null ? "" : ", " + chunk))}\" is not one of {string.Join(", ", ModelPlanSchema.ScheduleKinds)} (with an optional positive chunk)");
            return null;
        }
        return chunk is null ? k : string.Create(CultureInfo.InvariantCulture, $"{k}, {int.Parse(chunk.Trim(), CultureInfo.InvariantCulture)}");
    }

    private static string Rationale(JsonNode? node)
    {
        var text = AsText(node) ?? string.Empty;
        var collapsed = Whitespace().Replace(text, " ").Trim();
        if (!Prose.IsProse(collapsed)) return string.Empty; // `);` is not a reason
        return collapsed.Length <= MaxRationaleLength ? collapsed : collapsed[..MaxRationaleLength].TrimEnd() + "…";
    }

    private sealed record ClauseSet(IReadOnlyList<string> Private, IReadOnlyList<string> LastPrivate, IReadOnlyList<Reduction> Reductions, int Collapse, string? Schedule)
    {
        public static ClauseSet Empty { get; } = new([], [], [], 1, null);
    }

    /// <summary>
    /// Clauses from pragma text: `#pragma omp parallel for private(t) reduction(+:s) collapse(2)`. A clause kind
    /// ParaSlm does not generate (`firstprivate`, `num_threads`, …) makes the plan invalid: it cannot be honoured.
    /// </summary>
    private static ClauseSet ParseClauses(string text, Problems problems)
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
                case "private": priv.AddRange(NamesIn(body, "private", problems)); break;
                case "lastprivate": last.AddRange(NamesIn(body, "lastprivate", problems)); break;
                case "reduction":
                    var found = ReductionsIn(body, problems).ToList();
                    if (found.Count == 0) problems.Add(ModelAnswerCodes.UnknownClause, $"reduction({Clip(body)}) is not a reduction (operator and variable)");
                    reductions.AddRange(found);
                    break;
                case "collapse": collapse = Collapse(JsonValue.Create(body), problems); break;
                case "schedule": schedule = Schedule(JsonValue.Create(body), problems); break;
                default: problems.Add(ModelAnswerCodes.UnknownClause, $"clause \"{Clip(m.Value)}\" is none of private, lastprivate, reduction, collapse, schedule"); break;
            }
        }
        return new ClauseSet(priv.Distinct().ToList(), last.Distinct().ToList(), reductions.Distinct().ToList(), collapse, schedule);
    }

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@":(\d+):\d+\s*$")]
    private static partial Regex LoopIdLine();

    [GeneratedRegex(@"^\s*[A-Za-z]*\s*\((.*)\)\s*$", RegexOptions.Singleline)]
    private static partial Regex ClauseBody();

    [GeneratedRegex(@"reduction\s*\(([^)]*)\)", RegexOptions.IgnoreCase)]
    private static partial Regex ReductionClause();

    [GeneratedRegex(@"&&|\|\||[+*\-&|^]=?|[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex ReductionToken();

    [GeneratedRegex(@"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\)", RegexOptions.IgnoreCase)]
    private static partial Regex Clause();

    /// <summary>`t`, `double *p`, `const int & r`, `t u`: words, `*` and `&amp;` only.</summary>
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(?:[\s*&]+[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex Declaration();

    /// <summary>A line named in words: `12`, `line 12`, `L12`, `for at line 12`.</summary>
    [GeneratedRegex(@"^\s*(?:(?:the\s+)?(?:for\s+)?(?:loop\s+)?(?:at\s+)?(?:line|l)\s*)?(\d+)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex LineInWords();

    [GeneratedRegex(@"^(?:collapse\s*\()?\s*(\d+)\s*\)?$", RegexOptions.IgnoreCase)]
    private static partial Regex CollapseText();

    [GeneratedRegex(@"^(?:schedule\s*\()?\s*([A-Za-z]+)\s*(?:,\s*(\d+)\s*)?\)?$", RegexOptions.IgnoreCase)]
    private static partial Regex ScheduleText();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
