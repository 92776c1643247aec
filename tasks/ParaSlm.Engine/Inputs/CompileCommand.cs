namespace ParaSlm.Engine.Inputs;

/// <summary>One translation unit to process: the source and the arguments libclang must parse it with.</summary>
/// <param name="File">Absolute path of the source.</param>
/// <param name="Arguments">Compiler arguments without the compiler, `-c`, `-o`, dependency-file flags or the source itself; paths made absolute.</param>
/// <param name="Directory">The directory the compiler ran in.</param>
public sealed record CompileCommand(string File, IReadOnlyList<string> Arguments, string Directory)
{
    /// <summary>The compiler the build runs for this file (first word of the compile command); null when not known.</summary>
    public string? Compiler { get; init; }

    /// <summary>
    /// The build's other compile commands for the same file whose compiler or arguments differ (a file shared by targets
    /// with their own `-D`): its one rewritten copy is compiled under each, so each must agree with the plan.
    /// </summary>
    public IReadOnlyList<CompileCommand> Alternatives { get; init; } = [];
}
