using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Everything beyond subscripts that decides a loop: scalar data-sharing classes, calls, exits,
/// volatile/atomic accesses, pointer aliasing, C++ constructs and loops that already carry a pragma.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Unit")]
public sealed class ScalarAndCallTests : SnippetFixture
{
    private const string CPrelude = """
        #include <math.h>
        #include <stdio.h>
        #include <stdlib.h>
        #define N 4096
        static double a[N], b[N];
        static int ia[N];
        static double m[512][512];

        """;

    private const string CppPrelude = """
        #include <algorithm>
        #include <atomic>
        #include <cmath>
        #include <cstddef>
        #include <stdexcept>
        #include <vector>

        """;

    /// <summary>The loops of a C file: the shared declarations, then <paramref name="code"/>.</summary>
    private IReadOnlyList<LoopFacts> C(string code) => Snippets.Loops(CPrelude + code);

    private LoopFacts COne(string code)
    {
        var loops = C(code);
        Assert.That(loops, Has.Count.EqualTo(1), "the snippet has exactly one `for` loop");
        return loops[0];
    }

    private IReadOnlyList<LoopFacts> Cpp(string code) => Snippets.Loops(CppPrelude + code, cpp: true);

    private LoopFacts CppOne(string code)
    {
        var loops = Cpp(code);
        Assert.That(loops, Has.Count.EqualTo(1), "the snippet has exactly one `for` loop");
        return loops[0];
    }

    private static void AssertParallel(LoopFacts l, string clauses = "")
    {
        Assert.That(l.Parallelizable, Is.True, "expected parallel: " + SnippetAnalyzer.Describe(l));
        Assert.That(l.Clauses, Is.EqualTo(clauses), "clauses: " + SnippetAnalyzer.Describe(l));
        Assert.That(l.RuntimeCheck, Is.Null, "no runtime check expected: " + SnippetAnalyzer.Describe(l));
    }

    private static void AssertSequential(LoopFacts l, string? reasonContains = null)
    {
        Assert.That(l.Parallelizable, Is.False, "expected sequential: " + SnippetAnalyzer.Describe(l));
        Assert.That(l.Reductions, Is.Empty);
        Assert.That(l.Private, Is.Empty);
        Assert.That(l.LastPrivate, Is.Empty);
        Assert.That(l.RuntimeCheck, Is.Null);
        if (reasonContains is not null) Assert.That(l.Reason, Does.Contain(reasonContains), SnippetAnalyzer.Describe(l));
    }

    // ---- private / lastprivate ----------------------------------------------------------------------

    [Test]
    public void Scalar_written_before_read_and_dead_after_the_loop_is_private()
    {
        var l = COne("""
            void f(int n)
            {
                double t;
                for (int i = 0; i < n; i++) {
                    t = b[i] * 2.0;
                    a[i] = t + 1.0;
                }
            }
            """);
        AssertParallel(l, "private(t)");
        Assert.That(l.Private, Is.EqualTo(new[] { "t" }));
    }

    [Test]
    public void Scalar_declared_in_the_body_is_never_listed()
    {
        AssertParallel(COne("""
            void f(int n)
            {
                for (int i = 0; i < n; i++) {
                    double t = b[i] * 2.0;
                    a[i] = t + 1.0;
                }
            }
            """));
    }

    [Test]
    public void Scalar_written_every_iteration_and_read_after_the_loop_is_lastprivate()
    {
        var l = COne("""
            double f(int n)
            {
                double t = 0.0;
                for (int i = 0; i < n; i++) {
                    t = b[i] * 2.0;
                    a[i] = t + 1.0;
                }
                return t;
            }
            """);
        AssertParallel(l, "lastprivate(t)");
        Assert.That(l.LastPrivate, Is.EqualTo(new[] { "t" }));
        Assert.That(l.Private, Is.Empty);
    }

    [Test]
    public void Counter_declared_outside_and_read_after_the_loop_is_lastprivate()
    {
        var l = COne("""
            int f(int n)
            {
                int i;
                for (i = 0; i < n; i++)
                    a[i] = 0.0;
                return i;
            }
            """);
        AssertParallel(l, "lastprivate(i)");
    }

    [Test]
    public void Counter_declared_outside_and_dead_after_the_loop_is_not_listed()
    {
        AssertParallel(COne("""
            void f(int n)
            {
                int i;
                for (i = 0; i < n; i++)
                    a[i] = 0.0;
            }
            """));
    }

    [Test]
    public void Inner_counter_declared_outside_is_private_on_the_outer_loop()
    {
        var loops = C("""
            void f(int n)
            {
                int i, j;
                for (i = 0; i < 512; i++)
                    for (j = 0; j < 512; j++)
                        m[i][j] = 0.5 * m[i][j];
            }
            """);
        Assert.That(loops, Has.Count.EqualTo(2));
        AssertParallel(loops[0], "private(j)");
        AssertParallel(loops[1]);
    }

    [Test]
    public void Conditionally_written_scalar_used_after_the_loop_is_sequential()
    {
        AssertSequential(COne("""
            double f(int n)
            {
                double last = 0.0;
                for (int i = 0; i < n; i++) {
                    if (b[i] > 0.0)
                        last = b[i];
                    a[i] = b[i];
                }
                return last;
            }
            """), "last");
    }

    [Test]
    public void Scalar_skipped_by_continue_and_used_after_the_loop_is_sequential()
    {
        AssertSequential(COne("""
            double f(int n)
            {
                double t = 0.0;
                for (int i = 0; i < n; i++) {
                    if (b[i] < 0.0)
                        continue;
                    t = b[i];
                    a[i] = t;
                }
                return t;
            }
            """), "t");
    }

    // ---- reductions ---------------------------------------------------------------------------------

    [TestCase("int r = 0;", "r += ia[i];", "+")]
    [TestCase("int r = 0;", "r = r + ia[i];", "+")]
    [TestCase("int r = 0;", "r = ia[i] + r;", "+")]
    [TestCase("int r = 0;", "if (ia[i] > 0) r++;", "+")]
    [TestCase("int r = 0;", "r -= ia[i];", "-")]
    [TestCase("int r = 0;", "r = r - ia[i];", "-")]
    [TestCase("int r = 1;", "r *= ia[i];", "*")]
    [TestCase("int r = 1;", "r = ia[i] * r;", "*")]
    [TestCase("int r = -1;", "r &= ia[i];", "&")]
    [TestCase("int r = 0;", "r |= ia[i];", "|")]
    [TestCase("int r = 0;", "r ^= ia[i];", "^")]
    [TestCase("int r = 1;", "r = r && ia[i] > 0;", "&&")]
    [TestCase("int r = 0;", "r = r || ia[i] > 3;", "||")]
    [TestCase("double r = 0.0;", "if (a[i] > r) r = a[i];", "max")]
    [TestCase("double r = 0.0;", "if (r < a[i]) { r = a[i]; }", "max")]
    [TestCase("double r = 0.0;", "if (a[i] < r) r = a[i];", "min")]
    [TestCase("double r = 0.0;", "r = fmax(r, a[i]);", "max")]
    [TestCase("double r = 0.0;", "r = fmin(a[i], r);", "min")]
    [TestCase("double r = 0.0;", "r = a[i] > r ? a[i] : r;", "max")]
    [TestCase("double r = 0.0;", "r = r < a[i] ? r : a[i];", "min")]
    public void Reduction_operator_is_recognized(string declaration, string update, string op)
    {
        var l = COne($$"""
            double f(int n)
            {
                {{declaration}}
                for (int i = 0; i < n; i++) {
                    {{update}}
                }
                return r;
            }
            """);
        AssertParallel(l, $"reduction({op}:r)");
        Assert.That(l.Reductions.Select(x => (x.Operator, x.Variable)), Is.EqualTo(new[] { (op, "r") }));
    }

    [Test]
    public void Reduction_mixing_plus_and_minus_is_a_plus_reduction()
    {
        AssertParallel(COne("""
            double f(int n)
            {
                double s = 0.0;
                for (int i = 0; i < n; i++) {
                    s += a[i];
                    s -= b[i];
                }
                return s;
            }
            """), "reduction(+:s)");
    }

    [Test]
    public void Two_reductions_in_one_loop_are_both_listed()
    {
        var l = COne("""
            double f(int n)
            {
                double s = 0.0, hi = 0.0;
                for (int i = 0; i < n; i++) {
                    s += a[i];
                    if (a[i] > hi) hi = a[i];
                }
                return s + hi;
            }
            """);
        Assert.That(l.Parallelizable, Is.True, SnippetAnalyzer.Describe(l));
        Assert.That(l.Reductions.Select(r => $"{r.Operator}:{r.Variable}").Order(), Is.EqualTo(new[] { "+:s", "max:hi" }));
    }

    [Test]
    public void Scalar_combined_with_two_different_operators_is_sequential()
    {
        AssertSequential(COne("""
            double f(int n)
            {
                double s = 1.0;
                for (int i = 0; i < n; i++) {
                    s += a[i];
                    s *= b[i];
                }
                return s;
            }
            """), "different operators");
    }

    [Test]
    public void Reduction_variable_also_read_in_the_body_is_sequential()
    {
        AssertSequential(COne("""
            double f(int n)
            {
                double s = 0.0;
                for (int i = 0; i < n; i++) {
                    s += a[i];
                    b[i] = s;
                }
                return s;
            }
            """), "s");
    }

    [TestCase("long double")]
    [TestCase("__int128")]
    public void Reduction_of_a_type_wider_than_eight_bytes_stays_sequential_because_it_would_need_libatomic(string type)
    {
        AssertSequential(COne($$"""
            {{type}} f(int n)
            {
                {{type}} s = 0;
                for (int i = 0; i < n; i++)
                    s += ia[i];
                return s;
            }
            """), "libatomic");
    }

    [Test]
    public void Reduction_of_a_double_is_still_a_reduction_beside_the_wide_type_rule()
    {
        var l = COne("""
            double f(int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                    s += a[i];
                return s;
            }
            """);
        Assert.That(l.Reductions.Select(r => r.Variable), Is.EqualTo(new[] { "s" }));
    }

    // ---- carried scalars ----------------------------------------------------------------------------

    [Test]
    public void Scalar_read_before_it_is_written_carries_a_value_between_iterations()
    {
        AssertSequential(COne("""
            void f(int n)
            {
                double prev = 0.0;
                for (int i = 0; i < n; i++) {
                    b[i] = a[i] - prev;
                    prev = a[i];
                }
            }
            """), "prev");
    }

    [Test]
    public void Linear_recurrence_on_a_scalar_is_sequential()
    {
        AssertSequential(COne("""
            void f(int n)
            {
                double x = 0.0;
                for (int i = 0; i < n; i++) {
                    x = 0.5 * x + a[i];
                    b[i] = x;
                }
            }
            """), "x");
    }

    [Test]
    public void Global_scalar_written_before_read_in_every_iteration_is_lastprivate()
    {
        // A global keeps its value after the loop, so privatizing it needs lastprivate.
        AssertParallel(COne("""
            static double g;
            void f(int n)
            {
                for (int i = 0; i < n; i++) {
                    g = a[i] * 2.0;
                    b[i] = g;
                }
            }
            """), "lastprivate(g)");
    }

    [Test]
    public void Global_scalar_written_in_the_loop_and_read_by_a_called_helper_is_sequential()
    {
        // lastprivate(g) would give each thread its own g, but `get` reads the shared global g:
        // a race and wrong values. The loop is not parallel with any clause set.
        AssertSequential(COne("""
            static double g;
            static double get(void) { return g * 2.0; }
            void f(int n)
            {
                for (int i = 0; i < n; i++) {
                    g = a[i];
                    b[i] = get();
                }
            }
            """));
    }

    [Test]
    public void Reduction_variable_read_by_a_called_helper_is_sequential()
    {
        AssertSequential(COne("""
            static double total;
            static double peek(void) { return total; }
            void f(int n)
            {
                for (int i = 0; i < n; i++) {
                    total += a[i];
                    b[i] = peek();
                }
            }
            """), "total");
    }

    // ---- calls --------------------------------------------------------------------------------------

    [Test]
    public void Libm_calls_are_pure()
    {
        AssertParallel(COne("""
            void f(int n)
            {
                for (int i = 0; i < n; i++)
                    b[i] = sqrt(fabs(a[i])) + sin(a[i]) * exp(-a[i]) + pow(a[i], 3.0);
            }
            """));
    }

    [Test]
    public void A_static_declared_in_the_body_is_shared_by_all_iterations()
    {
        AssertSequential(COne("""
            void f(int n)
            {
                for (int i = 0; i < n; i++) {
                    static int calls;
                    calls++;
                    b[i] = a[i];
                }
            }
            """), "static variable declared in the loop");
        AssertSequential(COne("""
            void f(int n)
            {
                for (int i = 0; i < n; i++) {
                    static double t;
                    t = a[i] * 2.0;
                    b[i] = t;
                }
            }
            """), "static variable declared in the loop");
    }

    [Test]
    public void Math_and_bit_builtins_are_pure()
    {
        AssertParallel(COne("""
            void f(int n)
            {
                for (int i = 0; i < n; i++)
                    b[i] = __builtin_sqrt(__builtin_fabs(a[i])) + __builtin_sinf((float)a[i]) + __builtin_popcount((unsigned)i);
            }
            """));
    }

    [Test]
    public void Same_file_helper_without_side_effects_is_pure()
    {
        AssertParallel(COne("""
            static double sq(double x) { return x * x; }
            void f(int n)
            {
                for (int i = 0; i < n; i++)
                    b[i] = sq(a[i]);
            }
            """));
    }

    [Test]
    public void Helper_calling_only_pure_helpers_is_transitively_pure()
    {
        AssertParallel(COne("""
            static double sq(double x) { return x * x; }
            static double poly(double x) { double t = sq(x); return t + 2.0 * x + sqrt(fabs(x)); }
            void f(int n)
            {
                for (int i = 0; i < n; i++)
                    b[i] = poly(a[i]);
            }
            """));
    }

    [Test]
    public void Helper_that_writes_a_global_is_not_pure()
    {
        AssertSequential(COne("""
            static int calls;
            static double counted(double x) { calls++; return x; }
            void f(int n)
            {
                for (int i = 0; i < n; i++)
                    b[i] = counted(a[i]);
            }
            """), "calls");
    }

    [Test]
    public void Helper_that_writes_a_static_local_is_not_pure()
    {
        AssertSequential(COne("""
            static double next(double x) { static double last; last = x + last; return last; }
            void f(int n)
            {
                for (int i = 0; i < n; i++)
                    b[i] = next(a[i]);
            }
            """), "next");
    }

    [Test]
    public void Helper_calling_an_impure_helper_is_not_pure()
    {
        AssertSequential(COne("""
            static int calls;
            static double counted(double x) { calls++; return x; }
            static double wrapper(double x) { return 2.0 * counted(x); }
            void f(int n)
            {
                for (int i = 0; i < n; i++)
                    b[i] = wrapper(a[i]);
            }
            """), "wrapper");
    }

    [Test]
    public void Helper_that_writes_through_a_pointer_parameter_is_not_pure()
    {
        AssertSequential(COne("""
            static void put(double *p, double v) { *p = v; }
            void f(int n)
            {
                for (int i = 0; i < n; i++)
                    put(&b[i], a[i]);
            }
            """), "put");
    }

    [Test]
    public void Printf_is_io_and_not_pure()
    {
        AssertSequential(COne("""
            void f(int n)
            {
                for (int i = 0; i < n; i++)
                    printf("%f\n", a[i]);
            }
            """), "printf");
    }

    [Test]
    public void Rand_is_not_pure()
    {
        AssertSequential(COne("""
            void f(int n)
            {
                for (int i = 0; i < n; i++)
                    ia[i] = rand();
            }
            """), "rand");
    }

    private const string UnknownExtern = """
        double ext_transform(double x);
        void f(int n)
        {
            for (int i = 0; i < n; i++)
                b[i] = ext_transform(a[i]);
        }
        """;

    [Test]
    public void Unknown_extern_function_is_not_pure_and_the_reason_suggests_assume_pure()
    {
        var l = COne(UnknownExtern);
        AssertSequential(l, "ext_transform");
        Assert.That(l.Reason, Does.Contain("--assume-pure"));
    }

    [Test]
    public void Unknown_extern_function_asserted_pure_by_the_user_is_accepted()
    {
        using var assumed = new SnippetAnalyzer(new AnalyzerOptions { AssumePure = ["ext_transform"] });
        var loops = assumed.Loops(CPrelude + UnknownExtern);
        Assert.That(loops, Has.Count.EqualTo(1));
        AssertParallel(loops[0]);
    }

    [Test]
    public void Assume_pure_for_another_name_does_not_cover_the_unknown_extern()
    {
        using var assumed = new SnippetAnalyzer(new AnalyzerOptions { AssumePure = ["something_else"] });
        AssertSequential(assumed.Loops(CPrelude + UnknownExtern).Single(), "ext_transform");
    }

    // ---- exits --------------------------------------------------------------------------------------

    [Test]
    public void Break_out_of_the_loop_is_sequential()
    {
        AssertSequential(COne("""
            void f(int n)
            {
                for (int i = 0; i < n; i++) {
                    if (a[i] < 0.0)
                        break;
                    b[i] = a[i];
                }
            }
            """), "break");
    }

    [Test]
    public void Break_that_only_leaves_the_inner_loop_does_not_affect_the_outer_loop()
    {
        var loops = C("""
            void f(void)
            {
                for (int i = 0; i < 512; i++) {
                    for (int j = 0; j < 512; j++) {
                        if (m[i][j] < 0.0)
                            break;
                        m[i][j] = 2.0 * m[i][j];
                    }
                }
            }
            """);
        Assert.That(loops, Has.Count.EqualTo(2));
        AssertParallel(loops[0]);
        AssertSequential(loops[1], "break");
    }

    [Test]
    public void Break_out_of_a_switch_does_not_leave_the_loop()
    {
        AssertParallel(COne("""
            void f(int n)
            {
                for (int i = 0; i < n; i++) {
                    switch (ia[i]) {
                    case 0: b[i] = 0.0; break;
                    default: b[i] = a[i]; break;
                    }
                }
            }
            """));
    }

    [Test]
    public void Return_from_inside_the_loop_is_sequential()
    {
        AssertSequential(COne("""
            int f(int n)
            {
                for (int i = 0; i < n; i++) {
                    if (a[i] < 0.0)
                        return i;
                    b[i] = a[i];
                }
                return -1;
            }
            """), "return");
    }

    [Test]
    public void Goto_out_of_the_loop_is_sequential()
    {
        AssertSequential(COne("""
            void f(int n)
            {
                for (int i = 0; i < n; i++) {
                    if (a[i] < 0.0)
                        goto out;
                    b[i] = a[i];
                }
            out:
                return;
            }
            """), "goto");
    }

    [Test]
    public void Goto_to_a_label_inside_the_body_stays_in_the_iteration()
    {
        AssertParallel(COne("""
            void f(int n)
            {
                for (int i = 0; i < n; i++) {
                    if (a[i] < 0.0)
                        goto next;
                    b[i] = a[i];
                next:
                    ;
                }
            }
            """));
    }

    [Test]
    public void Exit_call_is_sequential()
    {
        AssertSequential(COne("""
            void f(int n)
            {
                for (int i = 0; i < n; i++) {
                    if (a[i] < 0.0)
                        exit(1);
                    b[i] = a[i];
                }
            }
            """), "exit");
    }

    [Test]
    public void Abort_call_is_sequential()
    {
        AssertSequential(COne("""
            void f(int n)
            {
                for (int i = 0; i < n; i++) {
                    if (a[i] < 0.0)
                        abort();
                    b[i] = a[i];
                }
            }
            """), "abort");
    }

    [Test]
    public void Throw_in_cpp_is_sequential()
    {
        AssertSequential(CppOne("""
            void f(std::vector<double>& v)
            {
                for (std::size_t i = 0; i < v.size(); i++) {
                    if (v[i] < 0.0)
                        throw std::runtime_error("negative");
                    v[i] = std::sqrt(v[i]);
                }
            }
            """), "throw");
    }

    [Test]
    public void Continue_is_fine()
    {
        AssertParallel(COne("""
            void f(int n)
            {
                for (int i = 0; i < n; i++) {
                    if (a[i] < 0.0)
                        continue;
                    b[i] = sqrt(a[i]);
                }
            }
            """));
    }

    // ---- volatile / atomic --------------------------------------------------------------------------

    [Test]
    public void Reading_a_volatile_scalar_is_sequential()
    {
        AssertSequential(COne("""
            static volatile int stop_flag;
            void f(int n)
            {
                for (int i = 0; i < n; i++)
                    b[i] = stop_flag ? 0.0 : a[i];
            }
            """), "volatile");
    }

    [Test]
    public void Writing_a_volatile_array_is_sequential()
    {
        AssertSequential(COne("""
            static volatile double port[N];
            void f(int n)
            {
                for (int i = 0; i < n; i++)
                    port[i] = a[i];
            }
            """), "volatile");
    }

    [Test]
    public void C11_atomic_update_is_sequential()
    {
        AssertSequential(COne("""
            static _Atomic int hits;
            void f(int n)
            {
                for (int i = 0; i < n; i++)
                    if (a[i] > 0.0)
                        hits++;
            }
            """), "atomic");
    }

    [Test]
    public void Std_atomic_update_is_sequential()
    {
        AssertSequential(CppOne("""
            int f(const std::vector<double>& v)
            {
                std::atomic<int> hits{0};
                for (std::size_t i = 0; i < v.size(); i++)
                    if (v[i] > 0.0)
                        hits.fetch_add(1);
                return hits.load();
            }
            """), "hits");
    }

    // ---- aliasing -----------------------------------------------------------------------------------

    [Test]
    public void Restrict_pointers_never_alias()
    {
        AssertParallel(COne("""
            void f(double *restrict dst, const double *restrict src, int n)
            {
                for (int i = 0; i < n; i++)
                    dst[i] = 2.0 * src[i];
            }
            """));
    }

    [Test]
    public void Non_restrict_pointer_parameters_need_a_runtime_check_naming_both()
    {
        var l = COne("""
            void f(double *dst, const double *src, int n)
            {
                for (int i = 0; i < n; i++)
                    dst[i] = 2.0 * src[i];
            }
            """);
        Assert.That(l.Parallelizable, Is.True, SnippetAnalyzer.Describe(l));
        Assert.That(l.RuntimeCheck, Is.Not.Null, SnippetAnalyzer.Describe(l));
        Assert.Multiple(() =>
        {
            Assert.That(l.RuntimeCheck, Does.Match(@"\bdst\b"));
            Assert.That(l.RuntimeCheck, Does.Match(@"\bsrc\b"));
            Assert.That(l.RuntimeCheck, Does.Contain("<="));
            Assert.That(l.Clauses, Is.Empty);
        });
    }

    [Test]
    public void Non_restrict_pointer_with_three_operands_checks_each_pair_with_the_written_one()
    {
        var l = COne("""
            void f(double *c, const double *x, const double *y, int n)
            {
                for (int i = 0; i < n; i++)
                    c[i] = x[i] + y[i];
            }
            """);
        Assert.That(l.Parallelizable, Is.True, SnippetAnalyzer.Describe(l));
        Assert.That(l.RuntimeCheck, Does.Match(@"\bc\b").And.Match(@"\bx\b").And.Match(@"\by\b"));
    }

    [Test]
    public void In_place_stencil_through_one_pointer_is_sequential()
    {
        AssertSequential(COne("""
            void f(double *p, int n)
            {
                for (int i = 1; i < n; i++)
                    p[i] = p[i] + p[i - 1];
            }
            """));
    }

    [Test]
    public void Writing_rows_of_a_pointer_to_pointer_is_sequential_in_the_row_loop()
    {
        var loops = C("""
            void f(double **rows, int n, int k)
            {
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < k; j++)
                        rows[i][j] = 0.0;
            }
            """);
        Assert.That(loops, Has.Count.EqualTo(2));
        AssertSequential(loops[0], "rows");
        AssertParallel(loops[1]);
    }

    [Test]
    public void Reading_rows_of_a_pointer_to_pointer_is_parallel()
    {
        var l = C("""
            void f(double **rows, double *restrict out, int n, int k)
            {
                for (int i = 0; i < n; i++) {
                    double s = 0.0;
                    for (int j = 0; j < k; j++)
                        s += rows[i][j];
                    out[i] = s;
                }
            }
            """)[0];
        AssertParallel(l);
    }

    // ---- C++ ----------------------------------------------------------------------------------------

    [Test]
    public void Vector_element_access_bounded_by_size_is_parallel()
    {
        AssertParallel(CppOne("""
            void f(std::vector<double>& v, double k)
            {
                for (std::size_t i = 0; i < v.size(); i++)
                    v[i] = v[i] * k;
            }
            """));
    }

    [Test]
    public void Vector_element_reading_its_predecessor_is_sequential()
    {
        AssertSequential(CppOne("""
            void f(std::vector<double>& v)
            {
                for (std::size_t i = 1; i < v.size(); i++)
                    v[i] = v[i] + v[i - 1];
            }
            """));
    }

    [Test]
    public void Vector_push_back_is_sequential()
    {
        AssertSequential(CppOne("""
            void f(const std::vector<double>& in, std::vector<double>& out)
            {
                for (std::size_t i = 0; i < in.size(); i++)
                    out.push_back(in[i]);
            }
            """), "push_back");
    }

    [Test]
    public void Range_for_by_reference_updating_elements_is_parallel()
    {
        var l = CppOne("""
            void f(std::vector<double>& v)
            {
                for (double& x : v)
                    x = 2.0 * x + 1.0;
            }
            """);
        AssertParallel(l);
    }

    [Test]
    public void Range_for_summing_elements_is_a_reduction()
    {
        AssertParallel(CppOne("""
            double f(const std::vector<double>& v)
            {
                double s = 0.0;
                for (double x : v)
                    s += x;
                return s;
            }
            """), "reduction(+:s)");
    }

    [Test]
    public void Std_max_fold_is_a_max_reduction()
    {
        AssertParallel(CppOne("""
            double f(const std::vector<double>& v)
            {
                double hi = 0.0;
                for (std::size_t i = 0; i < v.size(); i++)
                    hi = std::max(hi, v[i]);
                return hi;
            }
            """), "reduction(max:hi)");
    }

    [Test]
    public void Lambda_capturing_by_reference_and_writing_is_sequential()
    {
        AssertSequential(CppOne("""
            int f(const std::vector<int>& v)
            {
                int count = 0;
                auto bump = [&count](int x) { if (x > 0) ++count; };
                for (std::size_t i = 0; i < v.size(); i++)
                    bump(v[i]);
                return count;
            }
            """), "lambda");
    }

    [Test]
    public void Lambda_capturing_by_reference_and_only_reading_is_parallel()
    {
        AssertParallel(CppOne("""
            void f(std::vector<double>& v, double scale)
            {
                auto mul = [&](double x) { return x * scale; };
                for (std::size_t i = 0; i < v.size(); i++)
                    v[i] = mul(v[i]);
            }
            """));
    }

    [Test]
    public void Loop_in_a_template_function_is_reported_once_and_parallel()
    {
        AssertParallel(CppOne("""
            template <typename T>
            void scale(std::vector<T>& v, T k)
            {
                for (std::size_t i = 0; i < v.size(); i++)
                    v[i] = v[i] * k;
            }
            template void scale<double>(std::vector<double>&, double);
            template void scale<float>(std::vector<float>&, float);
            """));
    }

    [Test]
    public void Carried_loop_in_a_template_function_is_sequential()
    {
        AssertSequential(CppOne("""
            template <typename T>
            void prefix(std::vector<T>& v)
            {
                for (std::size_t i = 1; i < v.size(); i++)
                    v[i] = v[i] + v[i - 1];
            }
            template void prefix<int>(std::vector<int>&);
            """));
    }

    // ---- existing OpenMP pragmas --------------------------------------------------------------------

    [Test]
    public void Loop_that_already_has_an_omp_pragma_is_still_reported()
    {
        var loops = Snippets.Loops(CPrelude + """
            void f(int n)
            {
                #pragma omp parallel for
                for (int i = 0; i < n; i++)
                    b[i] = 2.0 * a[i];
                for (int i = 0; i < n; i++)
                    a[i] = b[i];
            }
            """, cpp: false, "-fopenmp");
        var prelude = CPrelude.Split('\n').Length - 1;
        Assert.That(loops.Select(l => l.Line), Is.EqualTo(new[] { prelude + 4, prelude + 6 }),
            "every `for` loop is reported, the one under the pragma too; found: " + string.Join(" | ", loops.Select(SnippetAnalyzer.Describe)));
        Assert.That(loops[0].HasOpenMPDirective, Is.True, SnippetAnalyzer.Describe(loops[0]));
        Assert.That(loops[0].Parallelizable, Is.True, SnippetAnalyzer.Describe(loops[0]));
        Assert.That(loops[1].HasOpenMPDirective, Is.False);
    }
}
