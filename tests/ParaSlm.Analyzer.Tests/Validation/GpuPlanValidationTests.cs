using System.Text.RegularExpressions;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>
/// `paraslm validate` on a project built with ParaSlmTarget=gpu: the sanitizer variants are built without offload flags
/// and run each offloaded loop's target region through OpenMP's host fallback, so the code a GPU build runs is checked.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class GpuPlanValidationTests
{
    [Test]
    public void Sanitizer_variants_of_a_gpu_plan_build_without_offload_flags_and_check_the_target_regions_themselves()
    {
        using var p = new ValidationProject();
        p.Write("CMakeLists.txt", """
            cmake_minimum_required(VERSION 3.16)
            project(validate_gpu C)
            set(CMAKE_C_STANDARD 11)
            add_executable(app main.c kernels.c)
            """);
        var kernels = p.Write("kernels.c", """
            void fill(double *restrict out, const double *restrict in, int n)
            {
                for (int i = 0; i < n; i++)
                    out[i] = in[i] * 2.0;
                for (int i = 0; i < n; i++)
                    out[i] = out[i] + in[i];
            }
            """);
        p.Write("main.c", """
            #include <stdio.h>
            #include <stdlib.h>
            void fill(double *restrict out, const double *restrict in, int n);
            int main(void)
            {
                int n = 50000;
                double *in = malloc(sizeof(double) * n), *out = malloc(sizeof(double) * n);
                for (int i = 0; i < n; i++) in[i] = i % 10;
                fill(out, in, n);
                double s = 0;
                for (int i = 0; i < n; i++) s += out[i];
                printf("fill: %.1f\n", s);
                free(in); free(out);
                return 0;
            }
            """);
        p.BuildForTarget("gpu");
        var state = p.State;
        var record = state.Sources[kernels];
        Assert.That(record.Applied.Where(a => a.Function == "fill").Select(a => a.Directive), Has.All.StartWith("omp target teams"), "gcc's offload compiler is installed by .ci/bootstrap");
        Assert.That(record.OffloadFlags, Does.Contain("-foffload=nvptx-none"));

        // A broken rewrite inside the GPU version only: the first loop's device test also writes past the end of `out`.
        // Only a variant that runs the target-region branch (PARASLM_GPU_AVAILABLE=1) executes it.
        var first = record.Applied.Where(a => a.Function == "fill").MinBy(a => a.Line)!;
        state.Sources[kernels] = record with
        {
            Applied = record.Applied.Select(a => a == first ? a with { RuntimeCheck = "PARASLM_GPU_AVAILABLE && (out[n] = 0.0, 1)" } : a).ToList(),
        };
        p.SaveState(state);

        var (code, output, err) = p.Validate("--validate", "all", "--runs", "2");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(output, Does.Match(@"warning PSLM5001: loop reverted: asan found AddressSanitizer: heap-buffer-overflow"));
        Assert.That(output, Does.Not.Contain("PSLM5006"), "both variants built (no gcc offload flags reached the clang TSan build)");
        var summary = p.Summary;
        Assert.Multiple(() =>
        {
            Assert.That(summary.Loops.Single(l => l.Line == first.Line && l.Function == "fill").Status, Is.EqualTo("reverted"));
            Assert.That(summary.Loops.Single(l => l.Line != first.Line && l.Function == "fill").Status, Is.EqualTo("kept"));
            Assert.That(summary.Final!.Status, Is.EqualTo("equal"));
        });
        // The variants' copies carry the target regions and a source map without offload flags.
        var variantMaps = Directory.GetFiles(p.Inter, "paraslm.sources.cmake", SearchOption.AllDirectories).Where(f => Path.GetDirectoryName(f) != p.Inter).ToList();
        Assert.That(variantMaps, Is.Not.Empty);
        Assert.That(variantMaps.Select(File.ReadAllText), Has.All.Contain("set(PARASLM_OFFLOAD_FLAGS \"\")"));
        Assert.That(Regex.IsMatch(p.Run(p.ParallelTree), @"^fill: \d+\.0"), Is.True);
        Assert.That(p.Run(p.ParallelTree), Is.EqualTo(p.Run(p.SerialTree)));
    }
}
