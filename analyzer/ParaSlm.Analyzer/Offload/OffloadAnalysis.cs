using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Effects;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Offload;

/// <summary>
/// Decides whether a loop the analyzer proved parallel can also run on a GPU, from the same body walk: every array
/// it touches must be a named array or a pointer whose extent over the whole nest is computable just before the loop
/// (so the data to move is known), and every call must be a function a device can run (libm and value builtins;
/// I/O, allocation and other functions are not). Work is the planner's concern (cost model), not a fact.
/// </summary>
internal static partial class OffloadAnalysis
{
    private static readonly HashSet<string> DeviceFunctions = BuildDeviceFunctions();

    public static OffloadFacts Of(LoopInfo loop, LoopHeader header, LoopBody body, HashSet<string> variant, string? runtimeCheck, IReadOnlyList<string> lastPrivate)
    {
        // A lastprivate value back on the host would need more than a map clause. (A runtime aliasing check is fine: the
        // host evaluates it before the region, and the original loop runs when it fails.)
        if (lastPrivate.Count > 0) return OffloadFacts.No($"`{lastPrivate[0]}` must come back to the host as the last iteration's value (lastprivate)");
        if (loop.IsRangeFor) return OffloadFacts.No("a range-based for over a container: its storage is not a mappable array");

        var calls = new List<string>();
        foreach (var c in body.Calls)
        {
            if (!DeviceFunctions.Contains(c.Name))
                return OffloadFacts.No($"it calls `{c.Name}` (line {c.Line}), which is not known to run on a GPU (libm functions are)");
            if (!calls.Contains(c.Name)) calls.Add(c.Name);
        }

        var arrays = new List<MappedArray>();
        foreach (var group in body.Accesses.GroupBy(a => a.Base.Key, StringComparer.Ordinal))
        {
            var list = group.ToList();
            var b = list[0].Base;
            // Storage declared inside the loop is private to each iteration on the device too.
            if (body.Locals.Contains(b.Key)) continue;
            var name = b.Root?.Name ?? b.Text;
            if (list.FirstOrDefault(a => a.UnknownExtent) is { } unknown)
                return OffloadFacts.No($"`{name}` is passed to a call at line {unknown.Line}: the elements it touches are unknown");
            if (b.Kind is not (BaseKind.Pointer or BaseKind.NamedArray) || !Identifier().IsMatch(name))
                return OffloadFacts.No($"`{list[0].Text}` is not an element of a plain array or pointer, so it cannot be mapped to the device");
            var assumed = new HashSet<Symbol>();
            if (LoopJudge.Extent(loop, header, list, variant, assumed, wide: false) is not { } extent || assumed.Count > 0)
                return OffloadFacts.No($"the elements of `{name}` the loop touches cannot be computed before it");
            var whole = false;
            var read = list.Any(a => a.IsRead);
            var written = list.Any(a => a.IsWrite);
            var direction = !written ? MapDirection.To
                : !read && !extent.Flat && DenseWrite(list, loop, header, body, variant) ? MapDirection.From
                : MapDirection.ToFrom;
            var (start, length) = (extent.Start, extent.Start == "0" ? extent.End : $"{extent.End} - {Paren(extent.Start)}");
            if (extent.Flat)
            {
                if (b.Kind == BaseKind.NamedArray && KnownSize().IsMatch(b.Root?.Type.CanonicalSpelling ?? string.Empty))
                {
                    whole = true; // a multi-dimensional array of known size is mapped whole
                }
                else if (b.Kind == BaseKind.Pointer && RowLength(b.Root?.Type.CanonicalSpelling) is { } row)
                {
                    // `T (*A)[M]` (an array-syntax parameter): the whole rows that hold the flat section [start, end). Rows
                    // are a superset of what is touched, so a written array is `tofrom` (never `from`), which keeps the rest.
                    start = $"({extent.Start}) / {row}";
                    length = $"(({extent.End}) + {row - 1}) / {row} - ({extent.Start}) / {row}";
                }
                else
                {
                    return OffloadFacts.No($"`{name}` is a pointer to rows of unknown length: a flat section of it cannot be named in a map clause");
                }
            }
            arrays.Add(new MappedArray(name, extent.Type, start, length, direction, whole)
            {
                Unaliased = b.IsRestrict || b.IsFreshAllocation,
                Declared = b.Kind == BaseKind.NamedArray,
            });
        }
        if (arrays.Count == 0) return OffloadFacts.No("it touches no array: there is nothing for a GPU to work on");
        if (!arrays.Any(a => a.Direction is MapDirection.From or MapDirection.ToFrom) && body.Events.Count == 0)
            return OffloadFacts.No("it writes nothing the host could see");
        var clauses = string.Join(", ", arrays.Select(a => $"{MappedArray.DirectionName(a.Direction)} {a.Section}"));
        return new OffloadFacts(true, $"offloadable: maps {clauses}" + (calls.Count > 0 ? $"; calls {string.Join(", ", calls)} (device libm)" : string.Empty), arrays, calls)
        {
            Kernel = Kernel(loop, header, body, arrays),
        };
    }

    /// <summary>
    /// The loop outlined for CUDA, or null when an outside value is not a plain arithmetic scalar or an array of one
    /// (records, pointers that are not mapped, C++ references: a kernel parameter would need their definitions).
    /// </summary>
    private static KernelShape? Kernel(LoopInfo loop, LoopHeader header, LoopBody body, List<MappedArray> arrays)
    {
        if (loop.Body is not { } loopBody || !header.StepKnown || header.Variable is not { } counter || !counter.Type.IsIntegral) return null;
        var trips = header.Max.Subtract(header.Min);
        var tripText = Math.Abs(header.Step) == 1 ? $"{trips.Add(LinearExpr.One)}" : $"({trips}) / {Math.Abs(header.Step)} + 1";
        var lower = header.Step > 0 ? header.Min : header.Max;
        var mapped = arrays.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var arrayParams = new List<KernelParameter>();
        var scalars = new List<KernelParameter>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { counter.Name };
        foreach (var n in loop.Node.DescendantsAndSelf())
        {
            if (n.Kind != NodeKind.DeclRef || n.Decl is not { Kind: DeclKind.Variable or DeclKind.Parameter } d || body.Locals.Contains(d.Key)) continue;
            if (loop.Node.Span.Contains(d.Span) || !seen.Add(d.Name)) continue;
            var t = d.Type;
            if (mapped.Contains(d.Name))
            {
                if (PointerParameter(t, d.Name) is not { } p) return null;
                arrayParams.Add(new KernelParameter(d.Name, p));
            }
            else if (t.IsScalarValue && (t.IsIntegral || t.IsFloatingPoint) && !t.IsReference && !t.IsVolatile && !t.IsAtomic)
            {
                scalars.Add(new KernelParameter(d.Name, $"{t.CanonicalSpelling.Replace("const ", string.Empty, StringComparison.Ordinal)} {d.Name}"));
            }
            else
            {
                return null;
            }
        }
        var compound = loopBody.Kind == NodeKind.Compound;
        return new KernelShape(counter.Name, counter.Type.CanonicalSpelling.Replace("const ", string.Empty, StringComparison.Ordinal), lower.ToString(), header.Step, tripText,
            loopBody.Span.Offset, loopBody.Span.EndOffset, compound, arrayParams, scalars);
    }

    /// <summary>`const double *x` for a pointer, `double (*A)[96]` for `double A[96][96]`, `double *b` for `double b[64]`.</summary>
    private static string? PointerParameter(Syntax.TypeInfo t, string name)
    {
        var spelling = t.CanonicalSpelling;
        if (t.IsPointer && !spelling.Contains('(')) return spelling.EndsWith('*') ? $"{spelling}{name}" : $"{spelling} {name}";
        var m = ArrayType().Match(spelling);
        if (!t.IsArray || !m.Success) return null;
        var rows = m.Groups[2].Value;
        return rows.Length == 0 ? $"{m.Groups[1].Value.Trim()} *{name}" : $"{m.Groups[1].Value.Trim()} (*{name}){rows}";
    }

    [GeneratedRegex(@"^([^\[\]()*]+)\[\d+\]((?:\[\d+\])*)$")]
    private static partial Regex ArrayType();

    /// <summary>
    /// `from` is right only when the loop writes every element of the section: one plain store `a[i + c] = …` at the top
    /// level of the body (no condition, no `continue`, no inner loop), the counter with step 1 and coefficient 1. Any other
    /// element would be copied back from uninitialized device memory, so everything else written is `tofrom`.
    /// </summary>
    private static bool DenseWrite(List<MemoryAccess> list, LoopInfo loop, LoopHeader header, LoopBody body, HashSet<string> variant)
    {
        if (list.Count != 1 || body.HasContinue || header.Step != 1 || !header.StepKnown) return false;
        var a = list[0];
        if (a.InnerLoops.Count > 0 || a.Path.Count != 1 || a.Linearized() is not { } s) return false;
        var (coefficient, rest) = s.Split(header.Symbol);
        if (!coefficient.IsConstant || coefficient.Constant != 1 || rest.Symbols.Any(x => variant.Contains(x.Key) || x.Dependencies.Any(variant.Contains))) return false;
        // The store is `a[…] = e;` directly in the loop body: every iteration executes it.
        if (a.Node.Parent is not { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Assign } assign || !ReferenceEquals(assign.Children[0], a.Node)) return false;
        for (var p = assign.Parent; p is not null && !ReferenceEquals(p, loop.Node); p = p.Parent)
            if (p.Kind is not (NodeKind.Compound or NodeKind.Unexposed)) return false;
        return assign.Parent is not null;
    }

    private static string Paren(string s) => s.All(c => char.IsLetterOrDigit(c) || c == '_') ? s : "(" + s + ")";

    private static HashSet<string> BuildDeviceFunctions()
    {
        var set = new HashSet<string>(StringComparer.Ordinal) { "abs", "labs", "llabs", "fabs", "min", "max", "fmin", "fmax", "isnan", "isinf", "isfinite", "signbit" };
        foreach (var r in KnownFunctions.MathRoots)
            foreach (var name in new[] { r, "__builtin_" + r })
            {
                set.Add(name);
                set.Add(name + "f");
            }
        return set;
    }

    [GeneratedRegex(@"^[A-Za-z_]\w*$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\[\d+\]$")]
    private static partial Regex KnownSize();

    /// <summary>
    /// Scalars per row of a pointer to arrays (`double (*)[1100]` → 1100, `float (*)[4][8]` → 32), or of an array-syntax
    /// parameter, whose declared type libclang reports unadjusted (`double[1000][1100]` → 1100); null otherwise.
    /// </summary>
    private static long? RowLength(string? type)
    {
        var dims = RowsOf().Match(type ?? string.Empty) is { Success: true } p ? p.Groups[1].Captures.Select(c => c.Value).ToList()
            : ArrayParameter().Match(type ?? string.Empty) is { Success: true } a ? a.Groups[1].Captures.Skip(1).Select(c => c.Value).ToList()
            : null;
        if (dims is null || dims.Count == 0) return null;
        return dims.Aggregate(1L, (n, d) => n * long.Parse(d, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^[^()\[\]]*(?:\[(\d+)\]){2,}$")]
    private static partial Regex ArrayParameter();

    [GeneratedRegex(@"^[^()]*\(\*(?:\s*(?:const|restrict|__restrict|volatile))*\s*\)(?:\[(\d+)\])+$")]
    private static partial Regex RowsOf();
}
