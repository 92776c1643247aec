namespace ParaSlm.Analyzer.Offload;

/// <summary>A value the outlined loop reads from outside it, passed to the kernel by value.</summary>
/// <param name="Declaration">The parameter declaration, e.g. `int n` or `const double *restrict x`.</param>
public sealed record KernelParameter(string Name, string Declaration);

/// <summary>
/// The loop as a CUDA kernel sees it: the counter runs over `Lower + t * Step` for `t` in [0, Trips); the body is the
/// original text at [<see cref="BodyStart"/>, <see cref="BodyEnd"/>) (byte offsets; a body without braces ends before
/// its `;`); arrays become pointer parameters of their declared types, scalars read from outside become value parameters.
/// </summary>
public sealed record KernelShape(
    string Counter,
    string CounterType,
    string Lower,
    long Step,
    string Trips,
    int BodyStart,
    int BodyEnd,
    bool BodyIsCompound,
    IReadOnlyList<KernelParameter> Arrays,
    IReadOnlyList<KernelParameter> Scalars);
