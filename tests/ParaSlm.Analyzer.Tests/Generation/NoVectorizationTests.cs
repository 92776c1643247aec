using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Generation;

/// <summary>
/// Which compile switches turn vectorization off, and what is left of a directive without `simd`
/// (<see cref="NoVectorization"/>): the construct's other words and every clause that is not simd-only.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class NoVectorizationTests
{
    [TestCase(new[] { "-O3", "-fno-tree-vectorize" }, "-fno-tree-vectorize")]
    [TestCase(new[] { "-O3", "-fno-tree-loop-vectorize" }, "-fno-tree-loop-vectorize")]
    [TestCase(new[] { "-O2", "-fno-vectorize" }, "-fno-vectorize")]
    [TestCase(new[] { "-O2", "-fno-slp-vectorize" }, "-fno-slp-vectorize")]
    [TestCase(new[] { "-fno-openmp-simd" }, "-fno-openmp-simd")]
    [TestCase(new[] { "-fno-tree-vectorize", "-ftree-vectorize" }, null)]
    [TestCase(new[] { "-ftree-vectorize", "-fno-tree-vectorize" }, "-fno-tree-vectorize")]
    [TestCase(new[] { "-O3", "-march=native", "-fopenmp" }, null)]
    [TestCase(new[] { "-fno-tree-vectorizer-verbose" }, null)]
    public void The_last_switch_of_each_family_decides(string[] arguments, string? expected) =>
        Assert.That(NoVectorization.SwitchIn(arguments), Is.EqualTo(expected));

    [TestCase("omp parallel for simd", "omp parallel for")]
    [TestCase("omp parallel for simd reduction(+:s) if(!PARASLM_COST_GUARD || n >= 64)", "omp parallel for reduction(+:s) if(!PARASLM_COST_GUARD || n >= 64)")]
    [TestCase("omp for simd schedule(static) nowait", "omp for schedule(static) nowait")]
    [TestCase("omp parallel for simd safelen(8) simdlen(4) aligned(a:64) private(t)", "omp parallel for private(t)")]
    [TestCase("omp parallel for simd if(simd: n > 3) if(parallel: n > 100)", "omp parallel for if(parallel: n > 100)")]
    [TestCase("omp simd", null)]
    [TestCase("omp simd reduction(+:s)", null)]
    [TestCase("omp simd if(simd: (long long)(m) >= 8)", null)]
    [TestCase("omp parallel for reduction(+:s)", "omp parallel for reduction(+:s)")]
    [TestCase("GCC ivdep", "GCC ivdep")]
    public void A_directive_loses_simd_and_its_simd_only_clauses(string directive, string? expected) =>
        Assert.That(NoVectorization.Without(directive), Is.EqualTo(expected));

    [Test]
    public void A_generated_line_keeps_its_indent_and_a_simd_only_line_is_left_out()
    {
        Assert.That(NoVectorization.Line("    #pragma omp for simd nowait"), Is.EqualTo("    #pragma omp for nowait"));
        Assert.That(NoVectorization.Line("#pragma omp simd"), Is.Null);
        Assert.That(NoVectorization.Line("for (j = 0; j < n; j++) {"), Is.EqualTo("for (j = 0; j < n; j++) {"));
    }
}
