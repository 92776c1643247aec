using System.Text.Json;
using ParaSlm.Contracts;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// The engine side of "ParaSlm builds the user's program": a copy that does not compile is never handed to the build,
/// the user chooses the sources, floating-point results change only when allowed and always visibly, remedies speak
/// MSBuild, the report says who planned, and header inputs are real files (so no-op builds stay no-ops).
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class BuildFidelityEngineTests : EngineFixture
{
    private const string Kernel = """
        void scale(double *restrict out, const double *restrict in, int n)
        {
            for (int i = 0; i < n; i++)
                out[i] = in[i] * 2.0;
        }
        """;

    private string Report() => File.ReadAllText(Path.Combine(Ws.Obj, "report", "paraslm-report.md"));

    /// <summary>The analyzer's plans and no cache, unless a test says otherwise.</summary>
    private EngineRequest Request(params EngineSource[] sources) => Ws.NewRequest(sources) with { Strategy = "analyzer", Cache = "off" };

    private static EngineSource Source(string file, params string[] args) => EngineWorkspace.Source(file, args);

    [Test]
    public void A_parallel_copy_that_does_not_compile_falls_back_to_the_original_with_PSLM1013_naming_file_and_message()
    {
        var file = Ws.Write("src/scale.c", Kernel);
        // The project's compiler compiles the user's files and rejects ParaSlm's copy: a deliberately failing rewrite.
        var cc = Ws.Write("tools/cc", $"""
            #!/bin/sh
            for a in "$@"; do
              case "$a" in {Ws.Obj}/*) echo "$a:3:5: error: deliberately rejected parallel copy" >&2; exit 1;; esac
            done
            exec gcc "$@"
            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(cc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var commands = Ws.CompileCommands((file, [cc, "-std=c11", "-O2", "-c", file, "-o", "scale.o"]));
        var (code, output, err) = Ws.Apply(Request() with { CompileCommands = commands });
        Assert.That(code, Is.EqualTo(0), err);
        var row = Ws.Outputs().Single();
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain($"{file}: warning PSLM1013:").And.Contain("deliberately rejected parallel copy"));
            Assert.That(row[2], Is.EqualTo("unchanged"), "the original is compiled");
            Assert.That(row[1], Is.Empty);
            Assert.That(Directory.Exists(Path.Combine(Ws.Obj, "src")) ? Directory.GetFiles(Path.Combine(Ws.Obj, "src")) : [], Is.Empty,
                "no broken copy is left for a build to pick up");
            Assert.That(Report(), Does.Contain("not rewritten: the parallel copy did not compile"));
        });

        // The same project with a compiler that accepts the copy: rewritten (the compiler is part of the source's hash).
        var fine = Ws.CompileCommands((file, ["gcc", "-std=c11", "-O2", "-c", file, "-o", "scale.o"]));
        (code, output, err) = Ws.Apply(Request() with { CompileCommands = fine });
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(Ws.Outputs().Single()[2], Is.EqualTo("rewritten"), output);
    }

    [Test]
    public void ParaSlmInclude_and_ParaSlmExclude_choose_the_sources_with_globs_separated_by_semicolons_or_commas()
    {
        var kept = Ws.Write("src/core/scale.c", Kernel);
        var vendored = Ws.Write("src/vendor/lib.c", Kernel);
        var test = Ws.Write("src/core/scale_test.c", Kernel);
        var other = Ws.Write("tools/gen.c", Kernel);
        var (code, _, err) = Ws.Apply(Request(Source(kept, "-std=c11"), Source(vendored, "-std=c11"), Source(test, "-std=c11"), Source(other, "-std=c11")) with
            { Include = ["src/**"], Exclude = ["src/vendor/**,**/*_test.c"] });
        Assert.That(code, Is.EqualTo(0), err);
        var status = Ws.Outputs().ToDictionary(r => r[0], r => r[2]);
        Assert.Multiple(() =>
        {
            Assert.That(status[kept], Is.EqualTo("rewritten"));
            Assert.That(status[vendored], Is.EqualTo("excluded"));
            Assert.That(status[test], Is.EqualTo("excluded"));
            Assert.That(status[other], Is.EqualTo("excluded"), "not matched by ParaSlmInclude");
            Assert.That(Report(), Does.Contain("excluded by ParaSlmExclude").And.Contain("not matched by ParaSlmInclude"));
        });
    }

    private const string Sums = """
        double dot(const double *restrict a, const double *restrict b, int n)
        {
            double s = 0.0;
            for (int i = 0; i < n; i++)
                s += a[i] * b[i];
            return s;
        }
        long count(const int *restrict a, int n)
        {
            long c = 0;
            for (int i = 0; i < n; i++)
                c += a[i];
            return c;
        }
        double peak(const double *restrict a, int n)
        {
            double m = a[0];
            for (int i = 0; i < n; i++)
                if (a[i] > m) m = a[i];
            return m;
        }
        """;

    [TestCase(true, "-std=c11", "parallel", TestName = "Float_reassociation_on_by_default_parallelizes_a_double_sum_and_a_double_max_and_marks_them")]
    [TestCase(false, "-std=c11", "sequential", TestName = "Float_reassociation_false_keeps_a_double_sum_and_a_double_max_serial")]
    [TestCase(false, "-ffast-math", "parallel", TestName = "Float_reassociation_false_still_parallelizes_where_the_files_flags_allow_reassociation")]
    public void ParaSlmFloatReassociation_decides_floating_point_sums_and_max_but_not_integer_sums(bool allow, string flag, string dotAction)
    {
        var file = Ws.Write("src/sums.c", Sums);
        var (code, _, err) = Ws.Apply(Request(Source(file, "-std=c11", flag)) with { FloatReassociation = allow });
        Assert.That(code, Is.EqualTo(0), err);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Ws.Obj, "report", "paraslm-report.json")));
        var loops = json.RootElement.GetProperty("sources")[0].GetProperty("plans").EnumerateArray()
            .ToDictionary(p => p.GetProperty("function").GetString()!, p => p);
        Assert.Multiple(() =>
        {
            Assert.That(loops["dot"].GetProperty("action").GetString(), Is.EqualTo(dotAction));
            Assert.That(loops["dot"].GetProperty("lastDigitsMayChange").GetBoolean(), Is.EqualTo(dotAction == "parallel"),
                "every parallel loop whose result may change in the last digits is marked");
            Assert.That(loops["count"].GetProperty("action").GetString(), Is.EqualTo("parallel"), "an integer sum is exact in any order");
            // `if (a[i] > m) m = a[i]` in another order may keep another NaN, or 0.0 for -0.0: not bit-exact either.
            Assert.That(loops["peak"].GetProperty("action").GetString(), Is.EqualTo(dotAction));
            Assert.That(loops["count"].GetProperty("lastDigitsMayChange").GetBoolean(), Is.False);
            Assert.That(loops["peak"].GetProperty("lastDigitsMayChange").GetBoolean(), Is.EqualTo(dotAction == "parallel"));
            // A maximum compares, it does not add (llama2.c's softmax `max_val` read "adds in another order").
            if (flag != "-ffast-math")
            {
                Assert.That(loops["peak"].GetProperty("reason").GetString(), Does.Contain("`m` compares in another order").Or.Contain("`m` would compare floating-point numbers"));
                Assert.That(loops["peak"].GetProperty("reason").GetString(), Does.Not.Contain("adds in another order").And.Not.Contain("would add"));
                Assert.That(loops["dot"].GetProperty("reason").GetString(), Does.Contain("`s` adds in another order").Or.Contain("`s` would add floating-point numbers"));
            }
        });
        var report = Report();
        if (dotAction == "parallel")
            Assert.That(report, Does.Contain("2 parallel loop(s) reduce floating-point values").And.Contain("may change the result in the last digits"));
        else
            Assert.That(report, Does.Contain("kept serial by ParaSlmFloatReassociation=false"));
    }

    [Test]
    public void Remedies_name_the_MSBuild_property_and_never_suggest_asserting_library_functions_pure()
    {
        var file = Ws.Write("src/calls.c", """
            #include <stdio.h>
            #include <stdlib.h>
            double ext_transform(double x);
            void f(double *restrict b, const double *restrict a, char **restrict s, int *restrict v, int n)
            {
                for (int i = 0; i < n; i++) b[i] = ext_transform(a[i]);
                for (int i = 0; i < n; i++) fprintf(stderr, "%f\n", a[i]);
                for (int i = 0; i < n; i++) b[i] = (double)rand();
                for (int i = 0; i < n; i++) v[i] = atoi(s[i]);
                for (int i = 0; i < n; i++) free(malloc(16));
                for (int i = 0; i < n; i++) if (a[i] < 0) exit(1);
            }
            """);
        var (code, _, err) = Ws.Apply(Request(Source(file, "-std=c11")));
        Assert.That(code, Is.EqualTo(0), err);
        var rows = Report().Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| line", StringComparison.Ordinal)).ToList();
        Assert.That(rows, Has.Count.EqualTo(6));
        Assert.Multiple(() =>
        {
            Assert.That(rows[0], Does.Contain("the ParaSlmAssumePure property (ext_transform)"), "a function of the user's, defined elsewhere");
            foreach (var row in rows)
                Assert.That(row, Does.Not.Contain("--assume-pure"), "a build's user sets properties, not CLI flags");
            foreach (var row in rows.Skip(1))
                Assert.That(row, Does.Not.Contain("ParaSlmAssumePure").And.Not.Contain("assert"), "fprintf, rand, atoi, malloc, exit are never worth asserting pure");
        });
    }

    [Test]
    public void The_report_header_says_who_planned_and_why_the_analyzer_stood_in()
    {
        var file = Ws.Write("src/scale.c", Kernel);
        Ws.Apply(Request(Source(file, "-std=c11")));
        Assert.That(Report(), Does.Contain("Planned by: the analyzer's own deterministic plan (ParaSlmStrategy=analyzer)"));

        // auto with nothing listening: the analyzer plans, and the header says why.
        var (code, _, err) = Ws.Apply(Request(Source(file, "-std=c11", "-O2")) with { Strategy = "auto", Endpoint = "http://127.0.0.1:9" });
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(Report(), Does.Contain("Planned by: the analyzer, as a fallback: no model answered (").And.Contain("To plan with the model, start Ollama (`ollama serve`) with it pulled (`ollama pull qwen2.5:1.5b`)"));
    }

    [Test]
    public void Header_inputs_are_the_real_paths_of_the_users_headers_only()
    {
        Ws.Write("include/scale.h", "#define FACTOR 2.0\n");
        var file = Ws.Write("src/vec.cpp", """
            #include <cmath>
            #include <vector>
            #include <math.h>
            #include "../include/scale.h"
            void f(std::vector<double> &v, int n)
            {
                for (int i = 0; i < n; i++)
                    v[i] = std::sqrt((double)i) * FACTOR;
            }
            """);
        var (code, _, err) = Ws.Apply(Request(Source(file, "-std=c++17", "-I" + Path.Combine(Ws.Root, "src", "..", "src"))));
        Assert.That(code, Is.EqualTo(0), err);
        var inputs = File.ReadAllLines(Path.Combine(Ws.Obj, "paraslm.inputs.txt"));
        Assert.Multiple(() =>
        {
            Assert.That(inputs, Is.EquivalentTo(new[] { file, Path.Combine(Ws.Root, "include", "scale.h") }),
                "the source and the user's header; no standard header (whose spelled path may not even exist)");
            foreach (var input in inputs) Assert.That(File.Exists(input), input);
        });
    }
}
