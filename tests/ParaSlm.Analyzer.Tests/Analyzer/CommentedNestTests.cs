using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A comment between an outer loop's header and its unbraced inner loop is no part of the header (`NestSyntax.HeaderText`):
/// the nest is perfectly nested and is interchanged like its braced form, the comment left in the output where it was.
/// A comment inside a header still keeps the nest as written. Fixture: corpus `c/commented_nests.c`.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class CommentedNestTests : GenerationFixture
{
    private string _path = null!;
    private FileAnalysis _analysis = null!;

    // After the base fixture's workspace is made (NUnit runs a base class's one-time set-up first).
    [OneTimeSetUp]
    public void AnalyzeCorpusFile()
    {
        _path = Ws.WriteSource("commented_nests.c", File.ReadAllText(Path.Combine(CorpusFiles.Root, "c", "commented_nests.c")));
        _analysis = Ws.Analyze(_path);
    }

    private LoopFacts Outer(string function) => _analysis.Loops.Single(l => l.Function == function && l.Depth == 1);

    [TestCase("colrec")]
    [TestCase("colrec_rows")]
    public void A_comment_between_the_headers_leaves_the_nest_perfectly_nested(string function)
    {
        var loop = Outer(function);
        Assert.That(loop.Interchange, Is.Not.Null, loop.Reason);
        Assert.That(loop.Interchange!.Headers.Select(h => h.Text), Has.All.StartWith("for (").And.All.EndWith(")"));
    }

    [Test]
    public void A_comment_inside_a_header_keeps_the_nest_as_written()
    {
        Assert.That(Outer("colrec_header_comment").Interchange, Is.Null);
    }

    [Test]
    public void The_interchanged_nest_keeps_its_comments_in_place()
    {
        var text = Ws.RewritePlannedLoops(_path).Text;
        // The headers swap; the comments between them stay, in their order.
        // (The worksharing form puts `omp for` on the parallel level's line, right before its header.)
        const string worksharing = @"(\s*#pragma omp for[^\n]*\n#line [^\n]*\n)?";
        Assert.That(text, Does.Match(@"for \(int j = 1; j < m; j\+\+\)\n\s*// expect: sequential\n" + worksharing + @"\s*for \(int i = 0; i < n; i\+\+\)"));
        Assert.That(text, Does.Match(@"for \(int j = 1; j < rows; j\+\+\)\n\s*/\* each column runs down its rows \*/\n\s*// expect: sequential\n" + worksharing +
                                     @"\s*for \(int i = 0; i < C; i\+\+\)"));
        Assert.That(text, Does.Contain("for (int i = 0; i < n; /* columns */ i++)\n        // expect: sequential\n        for (int j = 1; j < m; j++)"));
    }

    [TestCase("clang-19")]
    [TestCase("gcc")]
    public void The_program_prints_on_4_threads_what_it_prints_serially(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var rewrite = GenerationWorkspace.RewriteWithCostGuards(_path, _analysis);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", _path, rewrite);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", _path, rewrite, "-O1", "-DPARASLM_COST_GUARD=0");
    }
}
