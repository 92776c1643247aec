namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// A loop whose only loop-carried dependence is an append to an output array (`out[cnt++] = e`), or a monotone claim
/// that appends (`if (P[w] &lt; K) { P[w] = V; out[cnt++] = w; }`), which the analyzer proved may run in two phases
/// (<see cref="OrderedAppendRecognizer"/>): phase 1, the whole nest in parallel over fixed chunks of the counter, each
/// chunk collecting its candidates in a buffer of its own, in iteration order; phase 2, serially over the buffers in chunk
/// order, the append (or the whole claim, which tests `P[w]` again). `out[0..cnt)`, `cnt` and `P` end exactly as the serial
/// loop leaves them. Every text is the user's, copied from the source.
/// </summary>
/// <param name="TransformName"><see cref="AppendName"/> or <see cref="ClaimName"/>.</param>
/// <param name="Counter">The loop counter (declared in the header).</param>
/// <param name="CounterType">Its declared type.</param>
/// <param name="Low">The counter's first value, C text valid before the loop.</param>
/// <param name="High">Its end (exclusive), C text valid before the loop.</param>
/// <param name="BodyOffset">Byte offset where the loop's body starts.</param>
/// <param name="SinkOffset">Byte offset of the statement phase 1 replaces by a push (the append expression or the claim `if`).</param>
/// <param name="SinkEndOffset">Byte offset where that statement ends (libclang's extent: before an append's `;`).</param>
/// <param name="SinkText">Its text on one line (whitespace collapsed): the rewriter checks the text it edits is this one.</param>
/// <param name="SinkLine">Its line.</param>
/// <param name="ElementType">What a buffer holds: the appended element's type (append) or the candidate's (claim).</param>
/// <param name="Pushed">What phase 1 pushes: the appended expression (append) or the candidate's name (claim).</param>
/// <param name="Test">The claim's condition (phase 1 keeps a candidate only if it holds before the loop), or null.</param>
/// <param name="Output">The output array's name (append: phase 2 writes `Output[Count++] = value`).</param>
/// <param name="Count">The counter's name.</param>
/// <param name="Precondition">A C condition, valid before the loop, the transform needs (the claimed value makes the test
/// false), or null.</param>
/// <param name="OverlapCheck">A C condition, valid after phase 1 (which counts its candidates in `paraslm_m`), that the
/// appended range `Output[Count .. Count + paraslm_m)` overlaps nothing the loop reads; null when proven statically.</param>
public sealed record OrderedAppend(
    string TransformName,
    string Counter,
    string CounterType,
    string Low,
    string High,
    int BodyOffset,
    int SinkOffset,
    int SinkEndOffset,
    string SinkText,
    int SinkLine,
    string ElementType,
    string Pushed,
    string? Test,
    string Output,
    string Count,
    string? Precondition,
    string? OverlapCheck)
{
    /// <summary>The transform of a plain append loop, in plans and reports.</summary>
    public const string AppendName = "ordered-append";

    /// <summary>The transform of a monotone claim that appends (a BFS frontier), in plans and reports.</summary>
    public const string ClaimName = "claim-two-phase";

    /// <summary>The name phase 1 counts its candidates in (the overlap check reads it).</summary>
    public const string CandidateCount = "paraslm_m";

    public bool IsClaim => TransformName == ClaimName;

    /// <summary>A claim's array (`dist`): phase 2 knows the candidates it will test next and prefetches their elements,
    /// so the serial phase waits on memory far less than the serial loop's random reads did; null for an append.</summary>
    public string? ClaimArray { get; init; }

    /// <summary>Why the transform is legal, in words, for the report.</summary>
    public string Evidence { get; init; } = string.Empty;
}
