using System.Text.Json;
using ParaSlm.Engine;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// Shapes from a held-out project (cminpack's C++ wrapper test): a functor struct declared together with its variable
/// inside a function made libclang hand the analyzer the struct's methods twice, so one loop had two entries, and the
/// engine stopped the whole build on the duplicate. Each `for` is one loop; and whatever fails on one file, the build goes
/// on with that file as written.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class EngineRobustnessTests : EngineFixture
{
    private const string FunctorInFunction = """
        int outer(int m, double *f)
        {
            struct Fitter {
                int calls;
                int operator()(int m_, double *fvec) {
                    ++calls;
                    for (int i = 0; i < m_; ++i)
                        fvec[i] = 2.0 * i;
                    return 0;
                }
            } fitter;
            fitter.calls = 0;
            return fitter(m, f);
        }
        struct Global {
            void scale(int n, double *a) {
                for (int i = 0; i < n; ++i)
                    a[i] = a[i] * 3.0 + 1.0;
            }
        } global_scaler;
        """;

    [Test]
    public void A_loop_in_a_method_of_a_struct_declared_with_its_variable_is_reported_once()
    {
        var f = Ws.Write("src/functor.cpp", FunctorInFunction);
        var (exit, output, err) = EngineWorkspace.Run("analyze", f, "--json", "--", "-std=c++17");
        Assert.That(exit, Is.EqualTo(0), err);
        var ids = JsonDocument.Parse(output).RootElement.GetProperty("loops").EnumerateArray().Select(l => l.GetProperty("id").GetString()!).ToList();
        Assert.That(ids.Select(i => i[(i.IndexOf(':') + 1)..]), Is.EqualTo(new[] { "7:13", "17:9" }), "one entry per `for`, in a local and in a global struct");
    }

    [Test]
    public void The_engine_rewrites_a_functor_declared_with_its_variable_with_one_directive_per_loop()
    {
        var f = Ws.Write("src/functor.cpp", FunctorInFunction);
        var (exit, _, err) = EngineWorkspace.Run("apply", "--request", Ws.Request("Apply", (f, ["-std=c++17"])));
        Assert.That(exit, Is.EqualTo(0), err);
        var row = Ws.Outputs().Single(r => r[0] == f);
        Assert.That(row[2], Is.EqualTo("rewritten"));
        var copy = File.ReadAllText(row[1]);
        Assert.That(copy.Split('\n').Count(l => l.TrimStart().StartsWith("#pragma omp parallel for", StringComparison.Ordinal)), Is.EqualTo(2), copy);
    }

    [Test]
    public void A_failure_on_one_file_leaves_it_as_written_with_PSLM1015_and_the_other_files_are_still_rewritten()
    {
        const string code = "void f(int n, double *restrict a, const double *restrict b)\n{\n    for (int i = 0; i < n; i++)\n        a[i] = a[i] * b[i] + 1.0;\n}\n";
        var bad = Ws.Write("src/bad.c", code);
        var good = Ws.Write("src/good.c", code);
        // A folder (not empty) where the engine must write bad.c's parallel copy: a real I/O failure inside its processing.
        var blocked = ApplyEngine.OutputPathFor(Ws.Obj, bad);
        Directory.CreateDirectory(blocked);
        File.WriteAllText(Path.Combine(blocked, "keep"), "x");

        var (exit, output, err) = EngineWorkspace.Run("apply", "--request", Ws.Request("Apply", (bad, ["-std=c11"]), (good, ["-std=c11"])));
        Assert.That(exit, Is.EqualTo(0), "the engine goes on: the build must not fail because of ParaSlm\n" + err);
        var rows = Ws.Outputs();
        Assert.Multiple(() =>
        {
            Assert.That(output + err, Does.Contain("PSLM1015").And.Contain("bad.c").And.Contain("compiled as written"));
            Assert.That(rows.Single(r => r[0] == bad)[1], Is.Empty, "no copy: the original is compiled");
            Assert.That(rows.Single(r => r[0] == good)[2], Is.EqualTo("rewritten"));
        });
    }
}
