namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// A serial loop `j` whose body is one inner loop `k` over `[lo, j)` holding one statement S, followed by statements T that
/// do not name `k` (lu's and a Crout-style triangular solve's left half), proven by <see cref="RightLookingRecognizer"/> to
/// run in its right-looking order (fact on `j`):
/// <code>
/// for (j = lo; j &lt; hi; j++) {            for (k = lo; k &lt; hi; k++) {
///   for (k = lo; k &lt; j; k++) S;    ==>      j = k; T;                       T(k): every S(k, k') ran before
///   T;                                      for (j = k + 1; j &lt; hi; j++) S;  S(j, k) for every j &gt; k
/// }                                       }
/// </code>
/// Every element that iteration j owns receives S(j, lo), …, S(j, j-1), T(j) in that order in both forms, and S(j, k)
/// reads iteration k's element only after T(k) in both, so the results are the serial ones bit for bit: no operation, its
/// operands or its rounding changes. The statements are the user's, copied with their lines for `#line`.
/// </summary>
/// <param name="LoopId">The `j` loop's id.</param>
/// <param name="Line">Its line.</param>
/// <param name="Outer">`j`'s name.</param>
/// <param name="Inner">`k`'s name.</param>
/// <param name="Declarations">Declarations the form needs for counters declared in their headers (`int j;`), empty when both
/// are declared outside the nest (then both are dead after it).</param>
/// <param name="Low">`lo` as written (both loops start there).</param>
/// <param name="High">`hi` as written.</param>
/// <param name="OuterLine">The line of `j`'s header.</param>
/// <param name="InnerLine">The line of `k`'s header.</param>
/// <param name="Update">S, as written, with its line.</param>
/// <param name="Finish">The statements T, as written, each with its line.</param>
/// <param name="Condition">A C condition, valid before the loop, under which the dependence tests' assumptions hold (every
/// subscript inside its dimension) and no two bases overlap; null when proven statically. The loop as written runs otherwise.</param>
public sealed record RightLooking(
    string LoopId,
    int Line,
    string Outer,
    string Inner,
    IReadOnlyList<string> Declarations,
    string Low,
    string High,
    int OuterLine,
    int InnerLine,
    CopiedLine Update,
    IReadOnlyList<CopiedLine> Finish,
    string? Condition)
{
    /// <summary>On the new inner loop `j`: at one step k its iterations S(j, k) touch each its own element E(j) and read E(k),
    /// which none of them writes (j &gt; k), and memory the nest does not write, so they are independent (the recognizer's
    /// theorem, part (a)); each lane runs the statement as written, so every element gets the same operation on the same values.</summary>
    public const string InnerDirective = "omp simd";

    /// <summary>The transform's name stem; the plan names the whole <see cref="Name"/>.</summary>
    public const string TransformName = "right-looking";

    /// <summary>The plan element: `right-looking(j,k)` (the old outer counter, then the old inner one, which runs outside).</summary>
    public string Name => $"{TransformName}({Outer},{Inner})";

    /// <summary>The nest reads or writes floating point. Each statement is copied unchanged, but the code shape around it is not:
    /// gcc in a GNU mode with FMA (`-march=znver3`) left lu's serial chain over k unfused (it avoids FMA chains kept in a
    /// register) and fused the right-looking form's independent updates, and x87 may keep the chain in extended precision.
    /// So the form runs under `PARASLM_EXACT_FP &amp;&amp; PARASLM_SAME_CONTRACTION`, the loop as written otherwise.</summary>
    public bool FloatingPoint { get; init; }

    /// <summary>Why it is legal and why it pays, in words, for the report.</summary>
    public string Evidence { get; init; } = string.Empty;
}
