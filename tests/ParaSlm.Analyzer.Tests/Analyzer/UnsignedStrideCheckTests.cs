using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// An overlap check over a strided read needs the stride to be non-negative; a stride of unsigned type is, by its type,
/// and its check must not test it. Found on FLAC through app.proj (replaygain_analysis.c, `left_samples[i * downsample]`
/// with `uint32_t downsample`): the check read `downsample >= 0 && (...)`, and the rewritten copy gave the user's
/// `-Wall -Wextra` build eight new "comparison of unsigned expression in '>= 0' is always true" warnings — errors under
/// -Werror, where the copy would fail its compile check and the file lose its loops. Corpus: c/strided_checks.c.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class UnsignedStrideCheckTests : SourceAnalyzerFixture
{
    private static string File => Path.Combine(CorpusFiles.Root, "c", "strided_checks.c");

    private LoopFacts Loop(string function)
    {
        var loop = Analyzer.Analyze(File, CorpusFiles.ArgumentsFor(File)).Loops.Single(l => l.Function == function);
        TestContext.Out.WriteLine($"{function}: check={loop.RuntimeCheck ?? "none"} {loop.Reason}");
        return loop;
    }

    [TestCase("take_channel_u", "step")]
    [TestCase("take_channel_field", "layout->stride")]
    public void An_unsigned_stride_is_not_tested_for_its_sign(string function, string stride)
    {
        var loop = Loop(function);
        Assert.That(loop.RuntimeCheck, Is.Not.Null, loop.Reason);
        Assert.That(loop.RuntimeCheck, Does.Contain(stride), "the check still bounds the strided extent");
        Assert.That(loop.RuntimeCheck, Does.Not.Contain($"{stride} >= 0"));
    }

    [Test]
    public void A_signed_stride_keeps_its_sign_test()
    {
        var loop = Loop("take_channel_s");
        Assert.That(loop.RuntimeCheck, Does.Contain("step >= 0"), "a negative stride would read below the buffer's start");
    }

    [Test]
    public void The_checks_compile_without_warnings_under_Wextra_Werror()
    {
        var dir = Directory.CreateTempSubdirectory("paraslm-stride-").FullName;
        try
        {
            var u = Loop("take_channel_u").RuntimeCheck;
            var f = Loop("take_channel_field").RuntimeCheck;
            var source = Path.Combine(dir, "checks.c");
            System.IO.File.WriteAllText(source, $$"""
                #include <stdint.h>
                typedef struct { uint32_t stride; int count; } channel_layout;
                int check_u(const float *interleaved, uint32_t step, int n, float *out) { return {{u}}; }
                int check_field(const float *interleaved, const channel_layout *layout, float *out) { return {{f}}; }
                """);
            var run = GenerationWorkspace.Run("gcc", ["-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", source]);
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
