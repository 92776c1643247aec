using System.Text.Json;
using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Tests.Engine;
using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Offload;

/// <summary>
/// Consecutive offloaded loops of one function share a `target data` region when that is provably right (`paraslm apply`
/// with ParaSlmTarget=gpu, gcc's nvptx offload compiler, the host fallback and the device emulation with its own memory).
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class TargetDataRegionTests : EngineFixture
{
    // Integer-valued doubles: every sum is exact in any order.
    private const string Program = """
        #include <stdio.h>
        #include <stdlib.h>

        void chain(const double *restrict x, double *restrict y, double *restrict z, int n) {
            for (int i = 0; i < n; i++)
                y[i] = x[i] * 2;
            for (int i = 0; i < n; i++)
                z[i] = y[i] + x[i];
            /* nothing the host does in between */
            for (int i = 0; i < n; i++)
                if (i % 2) z[i] += y[i];
        }

        double may_alias(double *p, const double *q, int n) {
            double s = 0;
            for (int i = 0; i < n; i++)
                p[i] = i % 9;
            for (int i = 0; i < n; i++)
                s += p[i] * q[i];
            return s;
        }

        void host_between(const double *restrict x, double *restrict y, int n) {
            for (int i = 0; i < n; i++)
                y[i] = x[i] + 1;
            y[0] = 7;
            for (int i = 0; i < n; i++)
                y[i] = y[i] * 3;
        }

        int main(void) {
            int n = 200000;
            double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *z = malloc(n * sizeof *z);
            for (int i = 0; i < n; i++) { x[i] = i % 7; y[i] = -1; z[i] = -2; }
            chain(x, y, z, n);
            double a = may_alias(x, x, n);
            host_between(z, y, n);
            double s = 0;
            for (int i = 0; i < n; i++) s += z[i] * (i % 5) + y[i] + x[i];
            printf("%.1f %.1f %.1f %.1f\n", s, a, y[0], z[n - 1]);
            free(x); free(y); free(z);
            return 0;
        }
        """;

    private (string Copy, JsonElement Report, string[] Flags) Apply()
    {
        var file = Ws.Write("src/k.c", Program);
        var (code, output, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11", "-O2")) with { Target = "gpu", Strategy = "analyzer", Cache = "off" });
        Assert.That(code, Is.EqualTo(0), output + err);
        var copy = File.ReadAllText(Directory.GetFiles(Path.Combine(Ws.Obj, "src"), "k.*.c").Single());
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Ws.Obj, "report", "paraslm-report.json")));
        var m = Regex.Match(File.ReadAllText(Path.Combine(Ws.Obj, "paraslm.sources.cmake")), "set\\(PARASLM_OFFLOAD_FLAGS \"([^\"]*)\"\\)");
        Assert.That(m.Success, Is.True);
        return (copy, report.RootElement.Clone(), m.Groups[1].Value.Split(';', StringSplitOptions.RemoveEmptyEntries));
    }

    private string Build(string name, string text, params string[] flags) => OffloadPrograms.Build(Ws, name, text, flags);

    private static string RunExe(string exe, params (string, string)[] environment) => OffloadPrograms.Run(exe, environment);

    private static string Without(string copy) => string.Join('\n', copy.Split('\n').Where(l => !l.StartsWith("#line ", StringComparison.Ordinal)));

    [Test]
    public void Consecutive_offloaded_loops_share_one_target_data_region_that_copies_in_only_what_the_first_use_reads()
    {
        var (copy, report, _) = Apply();
        var text = Without(copy);
        // chain: x is read (to); y and z are written whole by their first loop, so they are only copied back.
        Assert.That(Regex.Matches(text, "#pragma omp target data").Count, Is.EqualTo(1), text);
        Assert.That(text, Does.Contain("    #pragma omp target data if(PARASLM_GPU_AVAILABLE) map(to: x[0:n]) map(from: y[0:n], z[0:n])\n    {\n    if (PARASLM_GPU_AVAILABLE) {"));
        // The region ends after the third loop's original version.
        Assert.That(text, Does.Contain("if (i % 2) z[i] += y[i]; } }\n}"));
        var reasons = report.GetProperty("sources")[0].GetProperty("plans").EnumerateArray()
            .Where(p => p.GetProperty("function").GetString() == "chain").Select(p => p.GetProperty("reason").GetString()!).ToList();
        Assert.That(reasons, Has.Count.EqualTo(3).And.All.Contain("inside a `target data` region (lines 5–10): `x`, `y`, `z` stay on the device"));
    }

    [Test]
    public void Loops_whose_arrays_may_alias_or_with_host_code_between_them_keep_their_own_maps()
    {
        var text = Without(Apply().Copy);
        var mayAlias = text[text.IndexOf("double may_alias", StringComparison.Ordinal)..text.IndexOf("void host_between", StringComparison.Ordinal)];
        var between = text[text.IndexOf("void host_between", StringComparison.Ordinal)..text.IndexOf("int main", StringComparison.Ordinal)];
        Assert.Multiple(() =>
        {
            // p is written and q may point to the same storage: a device copy of p would leave q's host copy stale.
            Assert.That(Regex.Matches(mayAlias, "omp target teams").Count, Is.EqualTo(2), mayAlias);
            Assert.That(mayAlias, Does.Not.Contain("target data"));
            Assert.That(Regex.Matches(between, "omp target teams").Count, Is.EqualTo(2), between);
            Assert.That(between, Does.Not.Contain("target data"));
        });
    }

    [Test]
    public void The_region_builds_with_gcc_offload_and_equals_serial_on_the_host_fallback_and_on_a_device_with_its_own_memory()
    {
        var (copy, _, flags) = Apply();
        var serial = RunExe(Build("serial", Program));
        var offload = Build("offload", copy, flags);
        Assert.That(RunExe(offload, ("OMP_TARGET_OFFLOAD", "disabled")), Is.EqualTo(serial));
        // The target regions and the data region themselves, through OpenMP's host fallback.
        Assert.That(RunExe(Build("forced", copy, [.. flags, "-DPARASLM_GPU_AVAILABLE=1"]), ("OMP_TARGET_OFFLOAD", "disabled")), Is.EqualTo(serial));
        Assert.That(RunExe(Build("emulated", MapEmulation.Apply(copy), "-fopenmp", "-DPARASLM_GPU_AVAILABLE=1")), Is.EqualTo(serial));

        // On a device with its own memory, a region that did not copy z back (or x in) changes the output.
        var notBack = copy.Replace("map(from: y[0:n], z[0:n])", "map(from: y[0:n]) map(alloc: z[0:n])", StringComparison.Ordinal);
        var notIn = copy.Replace("if(PARASLM_GPU_AVAILABLE) map(to: x[0:n])", "if(PARASLM_GPU_AVAILABLE) map(alloc: x[0:n])", StringComparison.Ordinal);
        Assert.That(new[] { notBack, notIn }, Has.None.EqualTo(copy));
        Assert.That(RunExe(Build("not-back", MapEmulation.Apply(notBack), "-fopenmp", "-DPARASLM_GPU_AVAILABLE=1")), Is.Not.EqualTo(serial));
        Assert.That(RunExe(Build("not-in", MapEmulation.Apply(notIn), "-fopenmp", "-DPARASLM_GPU_AVAILABLE=1")), Is.Not.EqualTo(serial));
    }
}
