using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Generation;

/// <summary>
/// What the transform fixtures (sink, hoist, interchange, inner simd, matrix product, ordered append) share: one
/// <see cref="GenerationWorkspace"/> for all of a fixture's tests (its analyzer parses once per file, not once per test),
/// deleted after them, and the end-to-end check each transform ends with.
/// </summary>
public abstract class GenerationFixture
{
    // `private protected`: the workspace is internal to the test assembly, the fixtures deriving from this are public.
    private protected GenerationWorkspace Ws { get; private set; } = null!;

    [OneTimeSetUp]
    public void CreateWorkspace() => Ws = new GenerationWorkspace();

    [OneTimeTearDown]
    public void DeleteWorkspace() => Ws.Dispose();

    /// <summary>How many of the rewrite's edits were applied with <paramref name="transform"/> named in their reason.</summary>
    private protected static int Applied(RewriteResult result, string transform) =>
        result.Outcomes.Count(o => o.Applied && o.Reason.Contains(transform, StringComparison.Ordinal));

    /// <summary>
    /// Builds the planned rewrite of <paramref name="source"/> with gcc as a compiler that is not GNU C (`__GNUC__` undefined,
    /// <paramref name="builtin"/> renamed to a function that does not exist, so any use of it fails to link) and asserts it
    /// prints on 4 threads what the original prints serially: a form gated on `__GNUC__` must leave only the original loops.
    /// </summary>
    private protected void AssertACompilerWithoutGnuExtensionsBuildsTheOriginalLoops(string fileName, string source, string builtin)
    {
        var cc = GenerationWorkspace.RequireTool("gcc");
        var path = Ws.WriteSource(fileName, source);
        var result = Ws.RewritePlannedLoops(path);
        var notGnu = Path.Combine(Ws.Root, Path.GetFileNameWithoutExtension(fileName) + "_not_gnu.h");
        File.WriteAllText(notGnu, "#include <stdio.h>\n#include <stdlib.h>\n#undef __GNUC__\n");
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result, "-O1", "-include", notGnu, $"-D{builtin}=paraslm_no_such_{builtin.TrimStart('_')}");
    }

    /// <summary>
    /// Writes <paramref name="source"/> as <paramref name="fileName"/>, rewrites it with <paramref name="rewrite"/>, lets
    /// <paramref name="check"/> assert the transform is in the result, then builds the original and the rewritten copy
    /// with <paramref name="compiler"/> and asserts the copy prints on 4 threads what the original prints serially.
    /// </summary>
    private protected void AssertRewrittenRunPrintsWhatSerialPrints(string compiler, string std, string fileName, string source,
        Func<string, RewriteResult> rewrite, Action<RewriteResult> check, params string[] flags)
    {
        // The compiler first: a missing one fails the test before anything else is done.
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(fileName, source);
        var result = rewrite(path);
        check(result);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, std, path, result, flags);
    }
}
