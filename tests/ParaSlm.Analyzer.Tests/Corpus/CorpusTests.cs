using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Corpus;

/// <summary>
/// The analyzer against the ground-truth corpus: no loop judged parallel that is not, at least 90%
/// of the truly parallel loops found, and exact clause sets for every loop found parallel.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Unit")]
public sealed class CorpusTests : SourceAnalyzerFixture
{
    private readonly Dictionary<string, FileAnalysis> _results = new(StringComparer.Ordinal);

    [OneTimeSetUp]
    public void SetUp()
    {
        foreach (var f in CorpusFiles.Sources()) _results[f] = Analyzer.Analyze(f, CorpusFiles.ArgumentsFor(f));
    }

    public static IEnumerable<TestCaseData> Files() =>
        CorpusFiles.Sources().Select(f => new TestCaseData(f).SetName($"Corpus_{Path.GetFileName(f)}_has_no_unsafe_verdict_and_exact_clauses"));

    [TestCaseSource(nameof(Files))]
    public void Every_loop_is_annotated_and_no_loop_is_wrongly_parallel(string file)
    {
        var expected = Expectation.Read(file);
        var loops = _results[file].Loops;
        Assert.That(loops.Select(l => l.Line).Order(), Is.EqualTo(expected.Keys.Order()), "one analyzer entry per annotated `for` loop");
        var problems = new List<string>();
        foreach (var l in loops)
        {
            var e = expected[l.Line];
            if (l.Parallelizable && !e.Parallel) problems.Add($"line {l.Line}: UNSAFE: judged parallel ({l.Reason}) but ground truth is {e.Verdict}");
            if (l.Parallelizable && e.Parallel)
            {
                var red = l.Reductions.Select(r => $"{r.Operator}:{r.Variable}").Order().ToList();
                if (!red.SequenceEqual(e.Reductions) || !l.Private.Order().SequenceEqual(e.Private) || !l.LastPrivate.Order().SequenceEqual(e.LastPrivate))
                    problems.Add($"line {l.Line}: clauses differ: got [{l.Clauses}] expected red[{string.Join(",", e.Reductions)}] priv[{string.Join(",", e.Private)}] last[{string.Join(",", e.LastPrivate)}]");
                if ((e.Verdict == "runtime-check") != (l.RuntimeCheck is not null))
                    problems.Add($"line {l.Line}: runtime check {(l.RuntimeCheck is null ? "missing" : "unexpected: " + l.RuntimeCheck)}");
            }
        }
        Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
    }

    [Test]
    public void Analyzer_finds_at_least_90_percent_of_the_truly_parallel_loops()
    {
        var truly = 0;
        var found = 0;
        var missed = new List<string>();
        foreach (var (file, analysis) in _results)
        {
            var expected = Expectation.Read(file);
            foreach (var l in analysis.Loops)
            {
                if (!expected.TryGetValue(l.Line, out var e) || !e.Parallel) continue;
                truly++;
                if (l.Parallelizable) found++;
                else missed.Add($"{Path.GetFileName(file)}:{l.Line}: {l.Reason}");
            }
        }
        var recall = (double)found / truly;
        TestContext.Out.WriteLine($"recall: {found}/{truly} = {recall:P1}");
        foreach (var m in missed) TestContext.Out.WriteLine("missed " + m);
        Assert.That(truly, Is.GreaterThanOrEqualTo(80), "the corpus must hold at least 80 truly parallel loops");
        Assert.That(recall, Is.GreaterThanOrEqualTo(0.90), string.Join(Environment.NewLine, missed));
    }
}
