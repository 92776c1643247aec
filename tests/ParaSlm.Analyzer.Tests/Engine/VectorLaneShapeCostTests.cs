using System.Text.Json;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// Never slower, beyond the stride-1 loop: an interleaved group of a constant step (TSVC's `s351`, 0.61x on 2 threads) and a
/// call inlined to arithmetic (`s4121`, 0.75x) also run in vector lanes, so their counted work is weighed at a quarter
/// (<c>LoopCost.RunsInVectorLanes</c>, <c>LoopFacts.VectorLanes</c>); a partial group, a gather, or a call whose body is not
/// arithmetic does not, and stays parallel at the same count. An array reduction's per-thread copies now count in the
/// run-time guard of a constant nest too (`s141`, 0.80x).
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class VectorLaneShapeCostTests : EngineFixture
{
    private Dictionary<int, (string Action, string Reason)> Plan(string code, params string[] options)
    {
        var f = Ws.Write("src/f.c", code);
        var (exit, output, err) = EngineWorkspace.Run(["plan", f, "--json", "--strategy", "analyzer", "--cache", "off", .. options, "--", "-std=c11"]);
        Assert.That(exit, Is.EqualTo(0), err);
        return JsonDocument.Parse(output).RootElement.GetProperty("plans").EnumerateArray()
            .ToDictionary(p => p.GetProperty("line").GetInt32(), p => (p.GetProperty("action").GetString()!, p.GetProperty("reason").GetString()!));
    }

    [Test]
    public void A_step_of_five_over_a_fully_covered_interleaved_group_stays_serial_and_a_partial_group_stays_parallel()
    {
        // 6,400 iterations of 10 accesses (64,000) in lanes are worth 16,000; the partial group (offsets 0..3) is 51,200
        // accesses the vectorizer would run with gaps: weighed as scalar, above 50,000.
        var plans = Plan("""
            void s351(float *restrict a, const float *restrict b, float alpha)
            {
                for (int i = 0; i < 32000; i += 5) {
                    a[i] += alpha * b[i];
                    a[i + 1] += alpha * b[i + 1];
                    a[i + 2] += alpha * b[i + 2];
                    a[i + 3] += alpha * b[i + 3];
                    a[i + 4] += alpha * b[i + 4];
                }
                for (int i = 0; i < 32000; i += 5) {
                    a[i] += alpha * b[i];
                    a[i + 1] += alpha * b[i + 1];
                    a[i + 2] += alpha * b[i + 2];
                    a[i + 3] += alpha * b[i + 3];
                }
            }
            """);
        Assert.Multiple(() =>
        {
            Assert.That(plans[3].Action, Is.EqualTo("sequential"));
            Assert.That(plans[3].Reason, Does.Contain("run in vector lanes (its step of 5 reads and writes each array as an interleaved group covering all 5 elements")
                .And.Contain("about 64000 memory accesses").And.Contain("about 16000 accesses' worth of work"));
            Assert.That(plans[10].Action, Is.EqualTo("parallel"), "offsets 0..3 of a step of 5: a partial group, 51,200 scalar accesses");
        });
    }

    [Test]
    public void A_call_inlined_to_arithmetic_stays_serial_and_a_gather_or_a_call_whose_body_is_not_arithmetic_stays_parallel()
    {
        // s4121: `f` returns `x * y`. The walker follows its body (no call is counted): 20,000 iterations of 3 accesses are
        // 60,000, in lanes 15,000. The same loop with a gather (`b[idx[i]]`: 80,000 scalar), with a helper of two statements
        // (60,000, priced as scalar), or with a function the user asserts pure whose body is not in the file (a call, 8
        // accesses' worth: 220,000) stays parallel.
        var plans = Plan("""
            static float f(float x, float y) { return x * y; }
            static float h(float x, float y) { float t = x * y; return t + 1.0f; }
            float g(float x, float y);
            void k(float *restrict a, const float *restrict b, const float *restrict c, const int *restrict idx)
            {
                for (int i = 0; i < 20000; i++)
                    a[i] += f(b[i], c[i]);
                for (int i = 0; i < 20000; i++)
                    a[i] += f(b[idx[i]], c[i]);
                for (int i = 0; i < 20000; i++)
                    a[i] += h(b[i], c[i]);
                for (int i = 0; i < 20000; i++)
                    a[i] += g(b[i], c[i]);
            }
            """, "--assume-pure", "g");
        Assert.Multiple(() =>
        {
            Assert.That(plans[6].Action, Is.EqualTo("sequential"));
            Assert.That(plans[6].Reason, Does.Contain("it calls `f`, whose body returns arithmetic on its arguments (inlined)")
                .And.Contain("about 60000 memory accesses").And.Contain("about 15000 accesses' worth of work"));
            Assert.That(plans[8].Action, Is.EqualTo("parallel"), "a gather through `idx`: no contiguous lanes");
            Assert.That(plans[10].Action, Is.EqualTo("parallel"), "a helper with a local: not a one-return arithmetic body, weighed as scalar");
            Assert.That(plans[12].Action, Is.EqualTo("parallel"), "a body the analyzer cannot see: priced as a call");
        });
    }

    [Test]
    public void A_call_inlined_to_arithmetic_inside_a_branching_loop_does_not_run_in_lanes()
    {
        // The same loop with a branch in its body: masked lanes, which gcc often declines (s271, vif), so it is weighed as scalar.
        var plans = Plan("""
            static float f(float x, float y) { return x * y; }
            void k(float *restrict a, const float *restrict b, const float *restrict c)
            {
                for (int i = 0; i < 20000; i++)
                    if (b[i] > 0.0f) a[i] += f(b[i], c[i]);
            }
            """);
        Assert.That(plans[4].Action, Is.EqualTo("parallel"));
    }

    [Test]
    public void A_constant_triangle_that_reduces_a_whole_array_gets_a_guard_that_prices_the_per_thread_copies()
    {
        // s141: 256 rows of a triangle add into the packed 65,536-element `flat` (an array reduction: each of 4 threads
        // zeroes and merges its copy, 524,288 accesses). The guard needs (50,000 + 524,288) / 2 = 287,144 inner iterations;
        // the triangle has 32,896, so the nest runs serially. Before, the guard asked for 25,000 and it forked (0.80x).
        var f = Ws.Write("src/t.c", """
            float flat[256 * 256];
            void s141(float bb[256][256])
            {
                for (int i = 0; i < 256; i++) {
                    int k = (i + 1) * ((i + 1) - 1) / 2 + (i + 1) - 1;
                    for (int j = i; j < 256; j++) {
                        flat[k] += bb[j][i];
                        k += j + 1;
                    }
                }
            }
            """);
        var (exit, _, err) = EngineWorkspace.Run("apply", "--request", Ws.Request("Apply", (f, ["-std=c11"])));
        Assert.That(exit, Is.EqualTo(0), err);
        var copy = File.ReadAllText(Ws.Outputs().Single(r => r[0] == f)[1]);
        Assert.Multiple(() =>
        {
            Assert.That(copy, Does.Contain("reduction(+:flat)"), "the nest is still the array reduction it was");
            Assert.That(copy, Does.Contain("/ 2 >= 287144)"), "50,000 plus the copies' 524,288 accesses over 2 per inner iteration");
            Assert.That(copy, Does.Not.Contain(">= 25000)"));
        });
    }
}
