using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>
/// A loop in OpenMP canonical form: `var` runs from <see cref="Min"/> to <see cref="Max"/> (both inclusive
/// bounds on the values it takes) by <see cref="Step"/> (signed).
/// </summary>
public sealed record LoopHeader(
    DeclInfo? Variable,
    Symbol Symbol,
    LinearExpr Init,
    LinearExpr Bound,
    string Comparison,
    long Step,
    LinearExpr Min,
    LinearExpr Max,
    bool DeclaredInHeader)
{
    /// <summary>The step as written; for a symbolic step (`i += len`) <see cref="Step"/> only carries its sign.</summary>
    public LinearExpr StepExpr { get; init; } = LinearExpr.Const(Step);

    public bool StepKnown => StepExpr.IsConstant;

    /// <summary>Where the upper bound is a minimum of affine terms (`i &lt; MIN(n, it + tile)`): each term as an inclusive
    /// bound (`n - 1`, `it + tile - 1`), every one valid in every iteration; <see cref="Max"/> keeps the bound as written.</summary>
    public IReadOnlyList<LinearExpr> UpperTerms { get; init; } = [];

    /// <summary>Where the lower bound is a maximum of affine terms (`i = MAX(1, k - 3)`): each term as an inclusive bound.</summary>
    public IReadOnlyList<LinearExpr> LowerTerms { get; init; } = [];

    public bool Increasing => Step > 0;

    /// <summary>A second counter the header declares or sets and advances beside this one (`for (int o = b, i = 0; i &lt; n; i++, o++)`),
    /// or null: its value in every iteration is an affine function of this counter (<see cref="SecondCounter.Value"/>).</summary>
    public SecondCounter? Second { get; init; }

    /// <summary>
    /// The number of iterations when the bounds differ by a constant: both constants, or a run-time start with an end a
    /// constant past it (`r = r0; r < r0 + 16`, a block of a tiled loop). Without the second form such a block counted as a
    /// loop of unknown length: hotspot's 16-row tiles were planned parallel behind a guard `16 * 16 >= 5000` that never holds.
    /// </summary>
    public long? TripCount
    {
        get
        {
            if (!StepKnown) return null;
            LinearExpr span;
            try { span = Max.Subtract(Min); }
            catch (OverflowException) { return null; }
            if (!span.IsConstant) return null;
            return span.Constant < 0 ? 0 : span.Constant / Math.Abs(Step) + 1;
        }
    }

    public string Describe() =>
        $"{Symbol.Text} from {Init} while {Symbol.Text} {Comparison} {Bound}, step {(StepKnown ? (Step > 0 ? "+" : string.Empty) + Step : (Step > 0 ? "+" : "-") + "(" + StepExpr + ")")}" +
        (TripCount is { } t ? $", {t} iterations" : string.Empty) +
        (Second is { } o ? $", second counter {o.Variable.Name} = {o.Value}" : string.Empty);
}

/// <summary>
/// The second counter of a two-counter header: `Variable` starts at <see cref="Start"/> and moves by <see cref="Step"/> each time
/// the loop's counter moves by its own step, so in every iteration it equals <see cref="Value"/>, written in the loop's counter.
/// OpenMP's canonical loop form has one counter: the loop itself runs in parallel only rewritten to one counter with this one
/// defined in its body from <see cref="Value"/> (<see cref="TwoCounterForm"/>).
/// </summary>
/// <param name="StartNode">The expression the counter starts from, as written.</param>
/// <param name="DeclaredInHeader">Declared by the header (`int o = b, i = 0`): a fresh object per loop, dead after it.</param>
public sealed record SecondCounter(DeclInfo Variable, Symbol Symbol, LinearExpr Start, long Step, LinearExpr Value, SyntaxNode StartNode, bool DeclaredInHeader);
