using System.Diagnostics;
using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Effects;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

using ParaSlm.Analyzer.Diagnostics;

namespace ParaSlm.Analyzer.Facts;

/// <summary>
/// The analyzer's entry point: parse a file with its real compile arguments, find every `for` loop of
/// the main file, and judge each one. One instance holds one libclang index; reuse it across files.
/// </summary>
public sealed class SourceAnalyzer(AnalyzerOptions options) : IDisposable
{
    private readonly ClangParser _parser = new(new LibClangLocator(options.LibClangPath));

    public string LibClangPath => _parser.LibraryPath;

    public string ClangVersion => _parser.ClangVersion;

    /// <param name="file">The source file.</param>
    /// <param name="compileArguments">Compiler arguments without the compiler itself, `-c`, `-o` or the file.</param>
    /// <param name="displayFile">How the file is named in loop ids (defaults to <paramref name="file"/> as given).</param>
    /// <exception cref="SourceParseException">Missing file, or a file with compile errors.</exception>
    public FileAnalysis Analyze(string file, IReadOnlyList<string> compileArguments, string? displayFile = null)
    {
        var watch = Stopwatch.StartNew();
        var tu = _parser.Parse(file, compileArguments);
        var parseTime = tu.LibClangParseTime;
        var firstError = tu.Diagnostics.FirstOrDefault(d => d.Severity >= DiagnosticSeverity.Error);
        if (firstError is not null)
        {
            var where = firstError.File.Length > 0 ? $"{firstError.File}({firstError.Line},{firstError.Column})" : file;
            var count = tu.Diagnostics.Count(d => d.Severity >= DiagnosticSeverity.Error);
            var detail = $"error: {firstError.Message}" +
                (count > 1 ? $" (and {count - 1} more error{(count > 2 ? "s" : string.Empty)})" : string.Empty) +
                ". The file does not compile with the given arguments; ParaSlm leaves it unchanged.";
            throw new SourceParseException(Diagnostic.Warning("PSLM0005", detail, firstError.File.Length > 0 ? firstError.File : file, firstError.Line, firstError.Column))
            {
                IncludedFiles = tu.IncludedFiles,
            };
        }
        var analysis = Analyze(tu, displayFile ?? file, ClangParser.EnablesOpenMP(compileArguments), ClangParser.StrictAliasing(compileArguments));
        return analysis with { ParseTime = parseTime, AnalysisTime = watch.Elapsed - parseTime, IncludedFiles = tu.IncludedFiles };
    }

    /// <summary>Judges the loops of an already parsed translation unit.</summary>
    /// <param name="openMP">The file's build enables OpenMP: only then do the user's directives open regions that ParaSlm's
    /// could nest in (without it the copy blanks them, <see cref="Loops.UserRegionCallees"/>).</param>
    /// <param name="strictAliasing">The file's build lets types rule out aliasing (not with -fno-strict-aliasing).</param>
    public FileAnalysis Analyze(TranslationUnitSyntax tu, string displayFile, bool openMP = true, bool strictAliasing = true)
    {
        var loops = LoopForest.Collect(tu, displayFile);
        var byNode = new Dictionary<SyntaxNode, LoopInfo>(ReferenceEqualityComparer.Instance);
        foreach (var l in loops) byNode[l.Node] = l;
        var effects = new FunctionEffects(tu, options.AssumePure);
        var judge = new LoopJudge(byNode, effects, strictAliasing);
        var facts = Locality.SerialLoopSinking.Annotate(loops, Locality.MatmulRecognizer.Annotate(loops, loops.Select(judge.Judge).ToList()));
        // Hoisting the region is for the serial loops sinking cannot move (their nests read each other's arrays).
        facts = Locality.SerialLoopHoisting.Annotate(loops, facts);
        // Interchange last: a nest the matrix-product form, a sunk serial loop or a hoisted region already rewrites keeps that one edit.
        facts = Locality.LoopInterchanging.Annotate(loops, facts, judge.LevelTester);
        // Scalar expansion is a fact on an inner loop; the plan of the parallel loop around it decides whether it is used.
        facts = Locality.ScalarExpanding.Annotate(loops, facts, judge.LevelTester);
        // Unroll-and-jam after it: a loop that scalar expansion rewrites (j the stride-1 loop) keeps that form.
        facts = Locality.UnrollJamming.Annotate(loops, facts, judge.LevelTester);
        // Then the interchanged form on a serial `k` loop around a parallel `j` (syrk): a loop with a fact of its own keeps it.
        facts = Locality.InterchangeJamming.Annotate(loops, facts, judge.LevelTester);
        // Distribution last: it applies only to loops kept serial, which none of the transforms above rewrites.
        facts = Locality.LoopDistributing.Annotate(loops, facts, judge.LevelTester, judge.OverlapCheck);
        // Fusion of sibling nests after it: it reads the parallel verdicts of both nests and names the pipeline distribution proves.
        facts = Locality.SiblingFusing.Annotate(loops, facts, judge.LevelTester, judge.FusionOverlapCheck);
        // Right-looking after it: a serial loop that distribution makes parallel keeps that form.
        facts = Locality.RightLookingRecognizer.Annotate(loops, facts, judge.LevelTester, judge.OverlapCheck);
        // What every thread of a region inside a serial loop reads after that loop's iteration wrote it (the planner's cost of a team).
        facts = Locality.BroadcastReading.Annotate(loops, facts, judge.Walk);
        // Where the user's region already runs the function, none of the above opens a region of its own (planner).
        if (openMP) facts = Loops.UserRegionCallees.Annotate(tu, loops, facts);
        // Without the user's own OpenMP every region is ParaSlm's: the serial nests of run-once functions may release the team.
        else facts = Loops.TeamReleaseSites.Annotate(tu, loops, facts);
        return new FileAnalysis(displayFile, facts, tu.Diagnostics, TimeSpan.Zero, TimeSpan.Zero);
    }

    public void Dispose() => _parser.Dispose();
}
