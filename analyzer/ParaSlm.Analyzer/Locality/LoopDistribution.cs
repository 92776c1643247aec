namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// A serial loop `i` (fact on it) whose body splits into statement groups that may run one after another, each as a loop
/// of its own (<see cref="LoopDistributing"/>): every dependence between two groups goes from the earlier group to the
/// later one, so running the whole of one group before the next keeps every pair of dependent operations in order.
/// Each group then runs in one of two parallel forms, inside one region:
/// <code>
/// { #pragma omp parallel [private(i, j)]
///   {
///     #pragma omp for schedule(static)                 a group `i` does not carry (bicg's q, atax's tmp)
///     for (i …) { its statements, its inner loops cut to its statements }
///     for (i …) {                                      a group `i` carries only on the same element of `j` (bicg's s[j])
///       #pragma omp for schedule(static) nowait
///       for (j …) { its statements }
///     }
///     #pragma omp barrier                             after a work-shared group that another group follows
///   } }
/// </code>
/// Every element still receives its operations in the original order (no reassociation), so the results are the serial
/// ones bit for bit. Every text is the user's, copied from the source, each with the line it came from, for `#line`.
/// </summary>
/// <param name="LoopId">The `i` loop's id.</param>
/// <param name="Line">Its line.</param>
/// <param name="Counter">`i`'s name.</param>
/// <param name="Private">Counters declared outside their headers (`i`, `j`): every thread runs them, so the region makes them private.</param>
/// <param name="Header">`i`'s header as written, on one line.</param>
/// <param name="Groups">The groups, in the order they run.</param>
/// <param name="OverlapCheck">A C condition, valid before the loop, that no two bases the loop touches (one of them written)
/// overlap, and that subscripts stay inside their dimensions; null when proven statically.</param>
public sealed record LoopDistribution(
    string LoopId,
    int Line,
    string Counter,
    IReadOnlyList<string> Private,
    CopiedLine Header,
    IReadOnlyList<DistributedGroup> Groups,
    string? OverlapCheck)
{
    /// <summary>The transform's name stem; the plan names the whole <see cref="Name"/>.</summary>
    public const string TransformName = "distribute";

    /// <summary>The plan element: `distribute(i:p,w)`, the counter and each group's form in order (`p` a parallel loop,
    /// `w` a work-shared inner loop under the serial `i`).</summary>
    public string Name => $"{TransformName}({Counter}:{string.Join(",", Groups.Select(g => g.Form == DistributedForm.ParallelLoop ? "p" : "w"))})";

    /// <summary>Why it is legal, in words, for the report.</summary>
    public string Evidence { get; init; } = string.Empty;

    /// <summary>The same groups as one pass over the rows, pipelined across column strips (<see cref="RowColumnPipeline"/>), where
    /// <see cref="RowColumnPipelining"/> proves it; a plan that names it runs it instead of the groups one after another.</summary>
    public RowColumnPipeline? Pipeline { get; init; }

    /// <summary>Why <see cref="Pipeline"/> is null (the named rule of <see cref="RowColumnPipelining"/>).</summary>
    public string? PipelineBlocker { get; init; }

    /// <summary>The region's directive (before the cost guard): `omp parallel private(i, j)`.</summary>
    public string Directive => Private.Count == 0 ? "omp parallel" : $"omp parallel private({string.Join(", ", Private)})";

    public const string ParallelDirective = "omp for schedule(static)";

    public const string WorksharingDirective = "omp for schedule(static) nowait";
}

/// <summary>How a group of a distributed loop runs.</summary>
public enum DistributedForm
{
    /// <summary>`i` carries nothing inside the group: its `i` loop is work-shared (`omp for schedule(static)`).</summary>
    ParallelLoop,

    /// <summary>`i` carries the group's dependences only on the same element of its one inner loop `j`: every thread runs `i`,
    /// and `j` is work-shared with a static schedule and no barrier, so each element's updates stay on one thread, in order.</summary>
    WorksharedInner,
}

/// <param name="Form">How it runs.</param>
/// <param name="Parts">Its statements in their original order: top-level statements, and inner loops cut to its statements.</param>
public sealed record DistributedGroup(DistributedForm Form, IReadOnlyList<DistributedPart> Parts);

/// <param name="InnerHeader">The inner loop's header as written (null: <paramref name="Statements"/> sit directly in `i`'s body).</param>
/// <param name="Statements">The statements, as written, each with its line.</param>
public sealed record DistributedPart(CopiedLine? InnerHeader, IReadOnlyList<CopiedLine> Statements);
