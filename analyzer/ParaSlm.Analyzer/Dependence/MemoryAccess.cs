using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Dependence;

/// <summary>What kind of storage an access goes to; decides which other bases it may alias.</summary>
public enum BaseKind
{
    /// <summary>A declared array (`float a[N]`), local or global.</summary>
    NamedArray,

    /// <summary>A named object addressed as a whole or by field (`s.x`, `&x`).</summary>
    Object,

    /// <summary>A pointer variable (parameter, global or local).</summary>
    Pointer,

    /// <summary>A std::vector / std::array object.</summary>
    Container,

    /// <summary>A pointer loaded from memory (`m[i]` of a `T**`): distinct loads may point to the same row.</summary>
    LoadedPointer,
}

/// <summary>The storage an access is rooted in.</summary>
public sealed record MemoryBase(string Key, string Text, BaseKind Kind, DeclInfo? Root)
{
    /// <summary>`restrict`-qualified pointer: nothing else touches what it points to.</summary>
    public bool IsRestrict { get; init; }

    /// <summary>A pointer whose only value comes from malloc/calloc/new in this function.</summary>
    public bool IsFreshAllocation { get; init; }

    /// <summary>Declared inside the function with automatic storage (cannot be reached from outside).</summary>
    public bool IsLocalStorage { get; init; }

    /// <summary>A container reached through a reference (may be the same object as another reference).</summary>
    public bool IsReference { get; init; }

    /// <summary>For <see cref="BaseKind.LoadedPointer"/>: the subscripts of the load (`i` in `m[i][j]`).</summary>
    public IReadOnlyList<LinearExpr?> LoadSubscripts { get; init; } = [];

    /// <summary>
    /// For <see cref="BaseKind.LoadedPointer"/> loaded from a member path of a named object (`pressure.data`, `p->rows`,
    /// `this->data`), also where the load was read inside an inlined accessor (`data` of `pressure(i, j)`): the pointer
    /// written as C at the loop's site, which a run-time overlap check may read. Null for any other load.
    /// </summary>
    public string? LoadText { get; init; }

    /// <summary>For a <see cref="LoadText"/> load: the pointer member's own type (what a store must not alias for the
    /// pointer to keep its value through the loop).</summary>
    public Syntax.TypeInfo? LoadType { get; init; }

    /// <summary>For a <see cref="LoadText"/> load through a chain (`field.density0.data`): the members on the way
    /// (`density0`), which the loop's site must be allowed to name too; null where one's declaration is unknown.</summary>
    public IReadOnlyList<Syntax.DeclInfo>? LoadVia { get; init; } = [];

    /// <summary>For a <see cref="LoadText"/> load: the member the pointer is loaded from.</summary>
    public Syntax.DeclInfo? LoadMember { get; init; }
}

/// <summary>One step of an access path: an index into an array dimension or a field.</summary>
public abstract record PathStep;

/// <param name="Extent">The declared length of the array dimension this step indexes, when the step selects an
/// element inside a contiguous object (`b[i][j]`: `j` indexes `double[100]`): an index outside [0, Extent) lands
/// in a neighbouring row or field, so a dimension-wise proof must first show it stays inside. 0: no proof needed
/// (the first step from a base, a pointer, a container's own storage); -1: contiguous but of unknown length (VLA).</param>
public sealed record IndexStep(LinearExpr? Subscript, long Extent = 0) : PathStep;

/// <param name="InUnion">A union member: it overlaps the union's other members.</param>
public sealed record FieldStep(string Field, bool InUnion = false) : PathStep
{
    /// <summary>The member's declaration, where the parse gave one: whether code at the loop's site may name it (a run-time
    /// check that reads `a.b.n` names every member on the way).</summary>
    public Syntax.DeclInfo? Member { get; init; }
}

/// <summary>A read and/or write of memory inside the loop under analysis.</summary>
public sealed record MemoryAccess(
    MemoryBase Base,
    IReadOnlyList<PathStep> Path,
    bool IsRead,
    bool IsWrite,
    SyntaxNode Node,
    IReadOnlyList<LoopInfo> InnerLoops)
{
    /// <summary>Reads through a pointer handed to a called function: the extent touched is unknown.</summary>
    public bool UnknownExtent { get; init; }

    public IEnumerable<LinearExpr?> Subscripts => Path.OfType<IndexStep>().Select(s => s.Subscript);

    /// <summary>
    /// The element offset from the base when the path is only index steps over dimensions of known length
    /// (row-major: `A[i][j]` of `T (*)[M]` is i·M + j, in elements of T); null otherwise.
    /// </summary>
    public LinearExpr? Linearized()
    {
        if (Path.Count == 0 || Path.Any(p => p is not IndexStep)) return null;
        LinearExpr? flat = null;
        foreach (var step in Path.Cast<IndexStep>())
        {
            if (step.Subscript is null) return null;
            if (flat is null) { flat = step.Subscript; continue; }
            if (step.Extent <= 0) return null;
            flat = flat.Scale(step.Extent).Add(step.Subscript);
        }
        return flat;
    }

    /// <summary>
    /// The call in the loop's own text that led to this access when it was read inside an inlined accessor
    /// (`density(i, j)` for the `data[j + i * sizeY]` of its body, which lies in a header): what the report names,
    /// since the user wrote the call, and the header's text is not the parsed file's.
    /// </summary>
    public SyntaxNode? Site { get; init; }

    /// <summary>What a report names the access by: its text, or the call in the loop that reaches it.</summary>
    public string Text => SourceText.Of(Site ?? Node);

    /// <summary>The line a report gives for the access: in the loop's file, the call's line for an inlined accessor.</summary>
    public int Line => (Site ?? Node).Span.Line;
}
