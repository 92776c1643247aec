using System.Diagnostics;
using System.Text;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Generation;

/// <summary>The outcome of running a native tool.</summary>
internal sealed record ToolRun(int ExitCode, string StdOut, string StdErr)
{
    public string Output => StdOut + StdErr;
}

/// <summary>
/// A private folder with a `src/` tree (the user's files, which the rewriter must never touch) and an `obj/` tree
/// (where rewritten files go, as in a build's intermediate folder), plus the real analyzer and native tools.
/// </summary>
internal sealed class GenerationWorkspace : IDisposable
{
    private readonly SourceAnalyzer _analyzer = new(new AnalyzerOptions());

    public GenerationWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "paraslm-generation-" + Guid.NewGuid().ToString("N"));
        SourceDir = Path.Combine(Root, "src");
        OutputDir = Path.Combine(Root, "obj");
        Directory.CreateDirectory(SourceDir);
        Directory.CreateDirectory(OutputDir);
    }

    public string Root { get; }

    /// <summary>The workspace's analyzer, for a file analyzed with arguments of its own (a corpus file's).</summary>
    public SourceAnalyzer Analyzer => _analyzer;

    public string SourceDir { get; }

    public string OutputDir { get; }

    /// <summary>Writes <paramref name="text"/> exactly (UTF-8, no byte order mark, line endings as given).</summary>
    public string WriteSource(string name, string text)
    {
        var path = Path.Combine(SourceDir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    /// <param name="extraArguments">Further compile flags (`-fopenmp` for a build that enables OpenMP).</param>
    public FileAnalysis Analyze(string path, IReadOnlyList<string>? extraArguments = null) =>
        _analyzer.Analyze(path, [path.EndsWith(".cpp", StringComparison.Ordinal) ? "-std=c++17" : "-std=c11", .. extraArguments ?? []]);

    /// <summary>The edit the pipeline makes for every parallelizable loop: `omp parallel for` with the analyzer's clauses and check.</summary>
    public static List<LoopEdit> ParallelEdits(FileAnalysis analysis) =>
        analysis.Loops.Where(l => l.Parallelizable)
            .Select(l => LoopEdit.ForLoop(l, ("omp parallel for " + l.Clauses).Trim(), l.RuntimeCheck))
            .ToList();

    /// <summary>Analyzes the file and rewrites every parallelizable loop.</summary>
    public RewriteResult RewriteParallelLoops(string path) =>
        SourceRewriter.Rewrite(path, File.ReadAllText(path), ParallelEdits(Analyze(path)));

    /// <summary>The analyzer planner's plans for the file (cost model, schedules, verifier) rewritten as the engine edits
    /// them: `omp parallel for` + the plan's clauses, versioned on its run-time check.</summary>
    public RewriteResult RewritePlannedLoops(string path, bool floatReassociation = true, IReadOnlyList<string>? extraArguments = null)
    {
        var analysis = Analyze(path, extraArguments);
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        // A serial loop planned in its right-looking order or its scalar-expanded form is rewritten too, as the engine does; a fused edit carries each
        // nest's own edit (its fallbacks), and the second nest's loops have no edit of their own.
        var plans = Reasoner.Planning.FilePlanner.AnalyzerPlan(analysis);
        var second = plans.Select(p => Reasoner.Planning.FusionFallbacks.Of(p, byId[p.Id])?.SecondLoopId).OfType<string>().ToList();
        LoopEdit Edit(Reasoner.Plans.LoopPlan p, Verification.PlanProposal proposal, string? check) =>
            LoopEdit.ForProposal(byId[p.Id], proposal, check, null, byId, floatReassociation);
        var edits = plans.Where(p => p.IsRewritten && !second.Any(n => Reasoner.Planning.FusionFallbacks.Within(byId[p.Id], n, byId)))
            .Select(p => !p.IsParallel ? LoopEdit.ForSerialTransform(byId[p.Id], p.Proposal.Transform)!
                : Reasoner.Planning.FusionFallbacks.Of(p, byId[p.Id]) is { } fusion
                ? Edit(p, p.Proposal, p.RuntimeCheck) with { Fallbacks = Reasoner.Planning.FusionFallbacks.Plans(p, fusion, plans, byId).Select(x => Edit(x.Plan, x.Proposal, byId[x.Plan.Id].RuntimeCheck)).ToList() }
                : Edit(p, p.Proposal, p.RuntimeCheck))
            .ToList();
        return SourceRewriter.Rewrite(path, File.ReadAllText(path), edits);
    }

    /// <summary>The analyzer planner's parallel loops rewritten as the engine edits them, each with its run-time cost guard
    /// (`LoopCost.IfClause`), so the guard texts are compiled and evaluated too.</summary>
    public static RewriteResult RewriteWithCostGuards(string path, FileAnalysis analysis)
    {
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var edits = Reasoner.Planning.FilePlanner.AnalyzerPlan(analysis).Where(p => p.IsParallel)
            .Select(p => LoopEdit.ForProposal(byId[p.Id], p.Proposal, p.RuntimeCheck, Reasoner.Planning.LoopCost.IfClause(byId[p.Id], analysis.Loops, byId), byId, true))
            .ToList();
        return SourceRewriter.Rewrite(path, File.ReadAllText(path), edits);
    }

    /// <summary>A corpus C fixture with <paramref name="main"/> appended, written here and rewritten as <see cref="RewritePlannedLoops"/>
    /// does; with the function each loop (by id) belongs to.</summary>
    public (string Path, RewriteResult Result, Dictionary<string, string> FunctionOf) RewriteCorpusProgram(string corpusName, string main)
    {
        var fixture = File.ReadAllText(Path.Combine(Corpus.CorpusFiles.Root, "c", corpusName));
        var path = WriteSource(corpusName, fixture + main);
        return (path, RewritePlannedLoops(path), Analyze(path).Loops.ToDictionary(l => l.Id, l => l.Function));
    }

    /// <summary>Saves a rewritten file under `obj/`, as the build would, and returns its path.</summary>
    public string WriteRewritten(string originalPath, string text)
    {
        var path = Path.Combine(OutputDir, Path.GetFileName(originalPath));
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    /// <summary>4 OpenMP threads (more than this machine's cores, so interleavings vary), threads that sleep when idle.</summary>
    public static readonly IReadOnlyDictionary<string, string> FourThreads = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "4", ["OMP_WAIT_POLICY"] = "passive" };

    /// <summary>
    /// Builds the original serially and the rewritten copy with `-fopenmp` (both `-O1` and <paramref name="std"/>), runs
    /// the serial program once and the parallel one three times on 4 threads, and asserts every output is the serial one.
    /// </summary>
    /// <param name="flags">Optimization flags for both builds (default `-O1`).</param>
    public void AssertParallelRunPrintsWhatSerialPrints(string compiler, string std, string originalPath, RewriteResult result, params string[] flags)
    {
        if (flags.Length == 0) flags = ["-O1"];
        var name = Path.GetFileName(originalPath);
        var rewritten = WriteRewritten(originalPath, result.Text);
        var serial = Path.Combine(Root, "serial_" + name);
        var parallel = Path.Combine(Root, "parallel_" + name);
        Assert.That(Run(compiler, [std, .. flags, originalPath, "-o", serial]).ExitCode, Is.Zero);
        var build = Run(compiler, [std, .. flags, "-fopenmp", rewritten, "-o", parallel]);
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        var expected = Run(serial, [], environment: FourThreads);
        Assert.That(expected.ExitCode, Is.Zero);
        for (var round = 0; round < 3; round++)
        {
            var actual = Run(parallel, [], environment: FourThreads);
            Assert.That(actual.ExitCode, Is.Zero, actual.Output);
            Assert.That(actual.StdOut, Is.EqualTo(expected.StdOut), "round " + round + "; rewritten:\n" + result.Text);
        }
    }

    /// <summary>The line `#line` directives give the first line containing <paramref name="code"/>.</summary>
    public static int PresumedLine(string text, string code)
    {
        var presumed = 1;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("#line ", StringComparison.Ordinal))
            {
                presumed = int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                continue;
            }
            if (line.Contains(code, StringComparison.Ordinal)) return presumed;
            presumed++;
        }
        return -1;
    }

    public static string RequireTool(params string[] names)
    {
        foreach (var name in names)
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                var candidate = Path.Combine(dir, name);
                if (dir.Length > 0 && File.Exists(candidate)) return candidate;
            }
        }
        // A missing tool fails the test: an ignored test would read as a pass on a machine that cannot check anything.
        Assert.Fail($"{string.Join(" or ", names)} is not installed; this test needs it (.ci/bootstrap installs it).");
        return null!;
    }

    public static ToolRun Run(string tool, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, string? stdin = null)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {tool}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {string.Join(' ', arguments)} did not finish within 2 minutes");
        }
        var run = new ToolRun(process.ExitCode, stdout.Result, stderr.Result);
        TestContext.Out.WriteLine($"$ {Path.GetFileName(tool)} {string.Join(' ', arguments)} -> {run.ExitCode}");
        if (run.Output.Length > 0) TestContext.Out.WriteLine(run.Output);
        return run;
    }

    public void Dispose()
    {
        _analyzer.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
