using ParaSlm.Analyzer.Locality;

namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// The tiled i-k-j form of a recognized matrix-product nest (<see cref="MatmulNest"/>), line by line, each line with
/// the original line it maps to (the rewriter puts `#line` directives where the mapping jumps):
/// <code>
/// { const long long paraslm_lo_i = LOW_I, paraslm_hi_i = HIGH_I, … (bounds, evaluated once: they are invariant)
/// #pragma omp parallel for schedule(static) …
///   for (long long paraslm_t_i = …; … += TI) {                 i tiles: the parallel loop (each owns its rows)
///     for (long long paraslm_t_j = …; … += TJ) {               j tiles
///       I i; J j; K k;                                         the user's counter names, so the copied text reads them
///       for (i …) for (j …) TARGET = INIT;                     the element starts where the accumulator started
///       for (long long paraslm_t_k = …; … += TK)               k tiles, ascending
///         for (i …) for (k …) {
///           const F paraslm_f = FACTOR;                        the addend's part j does not change (MatmulFactor), if any
/// #pragma omp simd
///           for (j …) TARGET += ADDEND;                        stride-1 innermost, no reduction across lanes
/// } } } }
/// </code>
/// With a register block (<see cref="MatmulBlock"/>, the usual case) the `for (i …) for (k …)` part runs blocks of 4 rows
/// times 4 k steps with the elements in locals (<see cref="BlockLines"/>), then the rows and steps no full block took in
/// the form above.
/// Tile sizes come from the element size and the smallest caches of current x86-64 and Arm server cores, L1d 32 KiB and
/// L2 256 KiB: a row segment of TJ elements is 1/16 of L1 (with the B row segments streaming beside it), the B tile
/// (TK x TJ) half of L2 and the C block (TI x TJ) a quarter of it. For doubles: TJ 256, TK 64, TI 32 (measured on
/// matmul 1100², one thread, gcc -O2: 0.63 s against 0.80–0.97 s for 16x512x32, 8x1024x16, 64x128x128, 16x256x128).
/// </summary>
public static class MatmulEmitter
{
    public const int L1Bytes = 32 * 1024;
    public const int L2Bytes = 256 * 1024;

    /// <summary>Tile sizes (i, j, k) for elements of <paramref name="elementSize"/> bytes.</summary>
    public static (int I, int J, int K) Tiles(int elementSize)
    {
        var size = Math.Clamp(elementSize, 1, 16);
        var j = Math.Max(16, L1Bytes / 16 / size);
        var k = Math.Max(8, L2Bytes / 2 / (j * size));
        var i = Math.Max(4, L2Bytes / 4 / (j * size));
        return (i, j, k);
    }

    /// <summary>The block's lines: the code (without indentation) and the original line it stands for.</summary>
    /// <param name="directive">The parallel tile loop's pragma text after `#pragma ` (`omp parallel for …`).</param>
    /// <param name="forLine">The outer `for`'s line: what the generated loop structure maps to.</param>
    public static IReadOnlyList<(int Line, string Code)> Lines(MatmulNest m, string directive, int forLine)
    {
        var (ti, tj, tk) = Tiles(m.ElementSize);
        var (i, j, k) = (m.Counters[0], m.Counters[1], m.Counters[2]);
        string Lo(int n) => $"paraslm_lo_{"ijk"[n]}";
        string Hi(int n) => $"paraslm_hi_{"ijk"[n]}";
        string Tile(int n) => $"paraslm_t_{"ijk"[n]}";
        string End(int n) => $"paraslm_e_{"ijk"[n]}";
        // The end converted to the counter's type (it lies in the counter's own range, which the source's loop ran through):
        // an unsigned counter against a signed end would warn (-Wsign-compare), and `omp simd` needs the counter itself compared.
        string Range(int n, string counter) => $"for ({counter} = ({m.CounterTypes[n]}){Tile(n)}; {counter} < ({m.CounterTypes[n]}){End(n)}; {counter}++)";
        string TileLoop(int n, int size) =>
            $"for (long long {Tile(n)} = {Lo(n)}; {Tile(n)} < {Hi(n)}; {Tile(n)} += {size}) {{ " +
            $"const long long {End(n)} = {Tile(n)} + {size} < {Hi(n)} ? {Tile(n)} + {size} : {Hi(n)};";
        // The factor j does not change is computed once per (i, k): under `omp simd` the compiler would reload it per vector.
        var addend = m.Factor?.Addend ?? m.Addend;
        var accumulate = m.Accumulate == "+=" ? $"{m.Target} += {addend};" : $"{m.Target} = {m.Target} + {addend};";
        var lines = new List<(int, string)>
        {
            (forLine, "{ /* ParaSlm " + MatmulNest.TransformName + $": tiles {ti}x{tj}x{tk}" + (m.Block is { } b ? $", {b.Name}" : string.Empty) +
                      $"; every element sums in ascending `{k}`, as written */"),
            (forLine, "const long long " + string.Join(", ", Enumerable.Range(0, 3).Select(n => $"{Lo(n)} = {m.Lows[n]}, {Hi(n)} = {m.Highs[n]}")) + ";"),
            (forLine, "#pragma " + directive),
            (forLine, TileLoop(0, ti)),
            (forLine, TileLoop(1, tj)),
            (forLine, $"{m.CounterTypes[0]} {i}; {m.CounterTypes[1]} {j}; {m.CounterTypes[2]} {k};"),
        };
        if (m.Init is not null)
        {
            lines.Add((forLine, $"{Range(0, i)} {Range(1, j)}"));
            lines.Add((m.InitLine, $"{m.Target} {m.InitOperator} {m.Init};"));
        }
        lines.Add((forLine, TileLoop(2, tk)));
        if (m.Block is { } block)
        {
            // Blocks of Rows x Steps; the rows a block cannot fill and the k steps after the last full block run below,
            // one term at a time, each element continuing from its stored value in ascending k.
            lines.Add((forLine, $"for (long long {BlockRow} = {Tile(0)}; {BlockRow} < {End(0)}; {BlockRow} += {block.Rows}) {{ long long {BlockStep} = {Tile(2)};"));
            lines.AddRange(BlockLines(m, block, forLine, Range(1, j), End(0), End(2)));
            lines.Add((forLine, $"for ({i} = ({m.CounterTypes[0]}){BlockRow}; {i} < ({m.CounterTypes[0]}){End(0)} && {i} < ({m.CounterTypes[0]})({BlockRow} + {block.Rows}); {i}++) " +
                                $"for ({k} = ({m.CounterTypes[2]}){BlockStep}; {k} < ({m.CounterTypes[2]}){End(2)}; {k}++) {{"));
        }
        else
            lines.Add((forLine, $"{Range(0, i)} {Range(2, k)} {{"));
        if (m.Factor is { } f) lines.Add((m.AddendLine, $"const {f.Type} {MatmulFactor.Local} = {f.Text};"));
        lines.Add((forLine, "#pragma omp simd"));
        lines.Add((forLine, Range(1, j)));
        lines.Add((m.AddendLine, accumulate));
        lines.Add((forLine, m.Block is null ? "} } } } }" : "} } } } } }"));
        return lines;
    }

    private const string BlockRow = "paraslm_b_i", BlockStep = "paraslm_b_k";

    /// <summary>
    /// The register-blocked micro-kernel (<see cref="MatmulBlock"/>) for rows `paraslm_b_i …+Rows-1` and steps
    /// `paraslm_b_k …+Steps-1`, repeated while a full block fits:
    /// <code>
    /// if (b_i + R &lt;= e_i) for (; b_k + S &lt;= e_k; b_k += S) {
    ///   F paraslm_f0_0, …; i = b_i + r; k = b_k + s; paraslm_fR_S = FACTOR; …   the factors, once per block
    /// #pragma omp simd
    ///   for (j …) {
    ///     T paraslm_c0, …; { const I i = b_i + r; paraslm_cR = TARGET; } …     each row's element, once
    ///     { const K k = b_k + s; { const I i = b_i + r; const F paraslm_f = paraslm_fR_S; paraslm_cR += ADDEND; } … }   s ascending
    ///     { const I i = b_i + r; TARGET = paraslm_cR; } …                       stored once
    /// } }
    /// </code>
    /// The user's text is copied verbatim and reads the counters by name, so each row and step declares `const` copies of
    /// them in a scope of its own (a macro in the text that names a counter reads the right one too); a copy the text
    /// does not visibly name is also cast to void, so `-Wall` says nothing about it.
    /// </summary>
    private static IEnumerable<(int Line, string Code)> BlockLines(MatmulNest m, MatmulBlock block, int forLine, string jLoop, string endI, string endK)
    {
        var (i, k) = (m.Counters[0], m.Counters[2]);
        var (ti, tk) = (m.CounterTypes[0], m.CounterTypes[2]);
        string Row(int r) => $"({ti})({BlockRow} + {r})";
        string Step(int s) => $"({tk})({BlockStep} + {s})";
        string Acc(int r) => $"paraslm_c{r}";
        string Factor(int r, int s) => $"{MatmulFactor.Local}{r}_{s}";
        // `const I i = …;`, and `(void)i;` (after the scope's declarations: C99 and C++ alike) where the text does not visibly name it.
        string Copy(string type, string name, string value) => $"const {type} {name} = {value};";
        string Unused(string name, string text) => Names(text, name) ? string.Empty : $" (void){name};";
        var addend = m.Factor?.Addend ?? m.Addend;
        var rows = Enumerable.Range(0, block.Rows).ToList();
        var steps = Enumerable.Range(0, block.Steps).ToList();
        yield return (forLine, $"if ({BlockRow} + {block.Rows} <= {endI}) for (; {BlockStep} + {block.Steps} <= {endK}; {BlockStep} += {block.Steps}) {{");
        if (m.Factor is { } f)
        {
            yield return (m.AddendLine, $"{f.Type} " + string.Join(", ", rows.SelectMany(r => steps.Select(s => Factor(r, s)))) + ";");
            foreach (var r in rows)
                foreach (var s in steps)
                    yield return (m.AddendLine, $"{i} = {Row(r)}; {k} = {Step(s)}; {Factor(r, s)} = {f.Text};");
        }
        yield return (forLine, "#pragma omp simd");
        yield return (forLine, jLoop + " {");
        yield return (forLine, $"{block.ElementType} " + string.Join(", ", rows.Select(Acc)) + ";");
        foreach (var r in rows) yield return (forLine, $"{{ {Copy(ti, i, Row(r))}{Unused(i, m.Target)} {Acc(r)} = {m.Target}; }}");
        foreach (var s in steps)
        {
            var terms = rows.Select(r =>
            {
                var factor = m.Factor is null ? string.Empty : $" const {m.Factor.Type} {MatmulFactor.Local} = {Factor(r, s)};";
                var add = m.Accumulate == "+=" ? $"{Acc(r)} += {addend};" : $"{Acc(r)} = {Acc(r)} + {addend};";
                return $"{{ {Copy(ti, i, Row(r))}{factor}{Unused(i, addend)} {add} }}";
            });
            yield return (m.AddendLine, $"{{ {Copy(tk, k, Step(s))}{Unused(k, addend)} {string.Join(" ", terms)} }}");
        }
        foreach (var r in rows) yield return (forLine, $"{{ {Copy(ti, i, Row(r))}{Unused(i, m.Target)} {m.Target} = {Acc(r)}; }}");
        yield return (forLine, "} }");
    }

    /// <summary>The text names the identifier as a token of its own.</summary>
    private static bool Names(string text, string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, $@"(?<![A-Za-z0-9_$]){System.Text.RegularExpressions.Regex.Escape(name)}(?![A-Za-z0-9_$])");
}
