namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// Why a loop nest is not reordered as a matrix product (<see cref="MatmulRecognizer.Examine"/>): one named rule per
/// condition of the theorem, so a nest a user expected to be tiled says which condition it misses, and each rule has a
/// near-miss test.
/// </summary>
public enum MatmulRejection
{
    /// <summary>Recognized: not a rejection.</summary>
    None,
    /// <summary>The outer loop is not proven parallel, carries the user's OpenMP directive or a reduction.</summary>
    OuterNotParallel,
    /// <summary>Not three nested loops: `for i for j for k` (i-j-k), `for i for k for j` or `for i { for j; for k for j }` (i-k-j, gemm).</summary>
    NotThreeLoops,
    /// <summary>An inner loop carries the user's OpenMP directive (defensive: the analyzer already keeps the outer loop
    /// serial then).</summary>
    InnerDirective,
    /// <summary>A preprocessor line inside the nest (a `#pragma` on an inner loop, an `#if`) would be lost.</summary>
    PreprocessorLine,
    /// <summary>A loop header is not `c = LOW; c &lt; (or &lt;=) BOUND; c++` with step +1.</summary>
    NonCanonicalHeader,
    /// <summary>Two of the loops share a counter (defensive: such a nest is not proven parallel).</summary>
    SharedCounter,
    /// <summary>The i loop's body holds more than the j loop (i-j-k), or more than the start loop and the k loop (i-k-j).</summary>
    OuterBodyNotOnlyTheJLoop,
    /// <summary>i-k-j with a start loop (gemm's `for j C[i][j] *= beta;`): that loop's counter, first value or bound
    /// differs from the product's j loop, so some element would start without its start statement or twice.</summary>
    InitLoopDiffers,
    /// <summary>A bound reads memory, a counter, or divides: it could not be evaluated once before the nest.</summary>
    VariantBound,
    /// <summary>The j loop's body is not `[init;] k loop [store;]`, or the k loop's body is not one accumulation.</summary>
    BodyShape,
    /// <summary>The k loop does not accumulate (`x += E` or `x = x + E`).</summary>
    NotAnAccumulation,
    /// <summary>The statement before the k loop does not start the element or the accumulator.</summary>
    InitShape,
    /// <summary>The accumulator is stored with a conversion, or its type differs from the element's.</summary>
    AccumulatorType,
    /// <summary>The accumulator is declared outside the nest and not private to the outer loop (the generated form never
    /// writes it; defensive: the analyzer privatizes such a scalar or finds the outer loop serial).</summary>
    AccumulatorLive,
    /// <summary>The target is not `T[i][j]` on a 2-D array or pointer to rows (transposed, indirect, `T**`).</summary>
    TargetShape,
    /// <summary>The element is not a non-volatile, non-atomic arithmetic scalar.</summary>
    TargetType,
    /// <summary>A bound reads the accumulator.</summary>
    BoundReadsAccumulator,
    /// <summary>The addend calls, writes, or reads the target array, the accumulator or a volatile.</summary>
    AddendNotPure,
    /// <summary>The start value calls, writes, or reads the target array (other than the element) or the k counter.</summary>
    InitNotPure,
    /// <summary>A counter (or another variable the nest writes) is read after the nest: the outer loop needs a
    /// lastprivate, and the generated form keeps its counters to itself.</summary>
    ReadAfterTheNest,
    /// <summary>The target array is reached at another index somewhere in the nest (under any name).</summary>
    TargetReadElsewhere,
    /// <summary>A bound, the target, the addend or the start value has no exact one-line copy in the source.</summary>
    TextNotCopyable,
}

/// <summary>What <see cref="MatmulRecognizer.Examine"/> found: the nest, or the rule it misses.</summary>
public sealed record MatmulRecognition(MatmulNest? Nest, MatmulRejection Rejection)
{
    internal static MatmulRecognition Rejected(MatmulRejection why) => new(null, why);
}
