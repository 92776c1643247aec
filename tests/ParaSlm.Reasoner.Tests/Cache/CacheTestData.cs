using System.Security.Cryptography;
using System.Text;
using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Cache;

namespace ParaSlm.Reasoner.Tests.Cache;

/// <summary>Plans, keys and folders for the cache tests.</summary>
internal static class CacheTestData
{
    /// <summary>A key made from a label (tests that need distinct keys, not realistic ones).</summary>
    public static PlanCacheKey Key(string label) =>
        new(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(label))), "test nest " + label);

    public static CachedPlan Plan(PlanCacheKey key, string rationale = "the outer loop has no carried dependence", int loopIndex = 0) =>
        CachedPlan.Create(
            key,
            new PlanProposal(true, ParallelTarget.CpuOpenMP, ["t"], [], [new Reduction("+", "s")], Collapse: 1, Schedule: "static"),
            loopIndex,
            rationale,
            "qwen2.5:1.5b",
            "sha256:65ec06548149",
            "zero-shot",
            "zero-shot@1",
            "cpu",
            TimeSpan.FromMilliseconds(2345));

    /// <summary>One synthetic loop (no libclang needed) with a subscript that can be varied.</summary>
    public static LoopFacts Loop(string subscript = "i", string file = "k.c", int line = 3, string function = "f") =>
        new LoopFacts($"{file}:{line}:5", file, line, 5, function, 0, true, [new Reduction("+", "s")], ["t"], [], null,
            "parallel: no loop-carried dependence")
        {
            Accesses = [new AccessFact("a", $"a[{subscript}]", line + 1, true, false, [subscript])],
            Scalars = [new ScalarFact("s", "reduction(+)", $"`s` is accumulated at line {line + 1}")],
            Header = "i from 0 to n step 1",
            StartOffset = 100 + line,
            EndOffset = 160 + line,
        };

    /// <summary>A fresh folder under the temp directory, deleted by <see cref="Delete"/>.</summary>
    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "paraslm-cache-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static void Delete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder does not fail a test
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Collects the diagnostics a cache reports (records, as the engine receives them).</summary>
internal sealed class Warnings
{
    private readonly List<Diagnostic> _messages = [];

    public IReadOnlyList<Diagnostic> Messages
    {
        get
        {
            lock (_messages) return _messages.ToList();
        }
    }

    public void Add(Diagnostic diagnostic)
    {
        lock (_messages) _messages.Add(diagnostic);
        TestContext.Out.WriteLine(diagnostic);
    }

    public bool Any(string code) => Messages.Any(m => m.Code == code);

    public override string ToString() => Messages.Count == 0 ? "(no warnings)" : string.Join(Environment.NewLine, Messages);
}
