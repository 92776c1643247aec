using ParaSlm.Reasoner.Strategies;
using ParaSlm.Reasoner.Tests.Support;

namespace ParaSlm.Reasoner.Tests.Strategies;

/// <summary>
/// Every request of every strategy, for every loop nest of the kernel suite, fits in num_ctx = 4096 tokens together
/// with the longest answer it allows. Ollama truncates an overlong prompt from the front (the system prompt and the
/// facts first), silently; this is the test that keeps prompts short.
/// </summary>
[Category("Unit")]
public sealed class PromptBudgetTests
{
    /// <summary>
    /// Conservative characters per token for this text (C code, symbols, numbers): real tokenizers of the target
    /// models average 3.5–4 on such prompts.
    /// </summary>
    private const double CharsPerToken = 3.0;

    private static readonly StrategyOptions Options = new("qwen2.5:1.5b");

    private static IEnumerable<string> KernelFiles() =>
        Directory.EnumerateFiles(Path.Combine(NestBed.RepositoryRoot(), "samples", "kernels"))
            .Where(f => f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".cpp", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(Path.GetFileName)!;

    [TestCaseSource(nameof(KernelFiles))]
    public async Task Every_request_fits_the_context(string kernel)
    {
        using var bed = new NestBed();
        var path = Path.Combine(NestBed.RepositoryRoot(), "samples", "kernels", kernel);
        var source = await File.ReadAllTextAsync(path);
        var nests = NestBed.Nests(bed.AnalyzeFile(path), source);
        Assert.That(nests, Is.Not.Empty);

        await using var server = FakeOllamaServer.Start();
        // The longest conversations: reasoning turns use their whole output budget, ReAct never finishes on its own.
        var reasoning = string.Concat(Enumerable.Repeat("The loop reads a[i] and writes b[i]; no dependence is carried. ", 30));
        string Answer(ChatRequestRecord r) =>
            r.FormatKind is not null ? """{"parallelize": true, "target": "cpu-openmp", "rationale": "independent"}"""
            : r.SystemPrompt!.Contains("Action:", StringComparison.Ordinal) ? "Thought: I need more facts about the loop and its arrays.\nAction: dependences"
            : reasoning[..Math.Min(reasoning.Length, (int)((r.NumPredict ?? 512) * 3.5))]; // a reply is no longer than num_predict allows
        using var client = server.CreateClient();

        var worst = (Tokens: 0, Where: "");
        foreach (var strategy in StrategyCatalog.Create().All)
            foreach (var nest in nests)
            {
                server.Reset();
                server.OnChat(Answer);
                await strategy.PlanAsync(nest, client, Options, CancellationToken.None);
                foreach (var r in server.ChatRequests)
                {
                    var tokens = (int)Math.Ceiling(r.AllText.Length / CharsPerToken) + (r.NumPredict ?? Options.MaxOutputTokens);
                    if (tokens > worst.Tokens) worst = (tokens, $"{strategy.Name}, nest at line {nest.Loop.Line}, request #{r.Number}");
                    Assert.That(tokens, Is.LessThanOrEqualTo(Options.ContextLength),
                        $"{strategy.Name}, nest at line {nest.Loop.Line}, request #{r.Number}: {r.AllText.Length} characters");
                }
            }
        TestContext.Out.WriteLine($"{kernel}: {nests.Count} nests; largest request ≈ {worst.Tokens} tokens with its answer ({worst.Where})");
    }
}
