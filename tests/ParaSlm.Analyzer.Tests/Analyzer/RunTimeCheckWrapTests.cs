using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Syntax;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Every run-time check computes in signed `long long` wherever the symbols' own types could wrap
/// (<see cref="LinearExpr.ToWideString"/>): written in `unsigned`, an overlap check's `b + (n - 1)` at n = 0 is
/// `b + 4294967295`, and `a + m &lt;= b + (n - 1)` passes while `b[i - 1]` meets `a`; a subscript check `-n &gt;= 0` holds
/// for every unsigned n. Fixture: corpus `c/unsigned_checks.c`; the run fixture is the same shape with `size_t` too, under
/// UBSan, at n = 0 and n = 1.
/// </summary>
[TestFixture]
[Category("Integration")]
[Parallelizable(ParallelScope.None)]
public sealed class RunTimeCheckWrapTests : GenerationFixture
{
    private FileAnalysis _c = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        var c = Path.Combine(CorpusFiles.Root, "c", "unsigned_checks.c");
        _c = Ws.Analyzer.Analyze(c, CorpusFiles.ArgumentsFor(c));
    }

    private static TypeInfo Scalar(string spelling) =>
        new(spelling, spelling, TypeShape.Scalar, false, false, false, false, false, false, true, -1, null);

    [Test]
    [Category("Unit")]
    public void ToWideString_widens_every_value_that_could_wrap_and_leaves_signed_ones_as_written()
    {
        var n = LinearExpr.Of(new Symbol("n", "n") { Type = Scalar("unsigned int") });
        var s = LinearExpr.Of(new Symbol("s", "s") { Type = Scalar("unsigned long") });
        var k = LinearExpr.Of(new Symbol("k", "k") { Type = Scalar("int") });
        var e = LinearExpr.Of(new Symbol("e", "e") { Type = Scalar("enum Mode") });
        var opaque = LinearExpr.Of(new Symbol("expr:v.size() / 2", "(v.size() / 2)") { Type = Scalar("unsigned long") });
        var unknown = LinearExpr.Of(new Symbol("size:v", "v.size()"));
        Assert.Multiple(() =>
        {
            Assert.That(n.Subtract(LinearExpr.One).ToWideString(), Is.EqualTo("(long long)n - 1"));
            Assert.That(k.Subtract(n).ToWideString(), Is.EqualTo("k - (long long)n"));
            Assert.That(k.Subtract(LinearExpr.One).ToWideString(), Is.EqualTo("k - 1"), "one signed value plus a constant is left as written");
            Assert.That(k.ToWideString(), Is.EqualTo("k"));
            Assert.That(s.Scale(3).Add(k).ToWideString(), Is.EqualTo("k + 3LL * (long long)s"));
            Assert.That(k.Multiply(s)!.ToWideString(), Is.EqualTo("(long long)k * (long long)s"));
            Assert.That(e.Negate().ToWideString(), Is.EqualTo("-(long long)e"));
            Assert.That(opaque.Subtract(LinearExpr.One).ToWideString(), Is.EqualTo("(long long)(v.size() / 2) - 1"));
            Assert.That(unknown.ToWideString(), Is.EqualTo("(long long)(v.size())"), "a type the converter did not see is not trusted");
            Assert.That(n.Subtract(LinearExpr.One).ToString(), Is.EqualTo("n - 1"), "plain text (reports) is unchanged");
        });
    }

    [Test]
    [Category("Unit")]
    public void ToWideString_combines_two_signed_values_in_long_long_and_casts_a_negated_one()
    {
        // The one renderer of check text (row checks included, which once cast every symbol themselves): a difference of two
        // `int` bounds the user's code never forms is computed in long long, so INT_MAX - (-1) cannot overflow.
        var m = LinearExpr.Of(new Symbol("m", "m") { Type = Scalar("int") });
        var k = LinearExpr.Of(new Symbol("k", "k") { Type = Scalar("int") });
        var y = LinearExpr.Of(new Symbol("y", "y") { Type = Scalar("short") });
        var n = LinearExpr.Of(new Symbol("n", "n") { Type = Scalar("unsigned int") });
        var row = LinearExpr.Of(new Symbol("p.sizeY", "p.sizeY") { Type = Scalar("int") });
        Assert.Multiple(() =>
        {
            Assert.That(k.Subtract(m).ToWideString(), Is.EqualTo("(long long)k - m"), "the first of two signed values is cast");
            Assert.That(k.Add(m).Add(y).Subtract(LinearExpr.One).ToWideString(), Is.EqualTo("(long long)k + m + y - 1"));
            Assert.That(k.Negate().ToWideString(), Is.EqualTo("-(long long)k"), "-INT_MIN overflows");
            Assert.That(k.Negate().Add(m).ToWideString(), Is.EqualTo("-(long long)k + m"));
            Assert.That(k.Subtract(n).ToWideString(), Is.EqualTo("k - (long long)n"), "the second term is long long already");
            Assert.That(m.Scale(2).Subtract(k).ToWideString(), Is.EqualTo("-(long long)k + 2LL * m"));
            Assert.That(m.Scale(2).Subtract(row).ToWideString(), Is.EqualTo("2LL * m - p.sizeY"), "a scaled first term is long long");
            Assert.That(m.Subtract(row).Subtract(k).ToWideString(), Is.EqualTo("-(long long)k + m - p.sizeY"));
        });
    }

    [Test]
    public void An_unsigned_offset_is_widened_in_the_overlap_check_and_in_the_subscript_check()
    {
        var shift = _c.Loops.Single(l => l.Function == "shift");
        Assert.That(shift.Parallelizable, Is.True, shift.Reason);
        Assert.That(shift.RuntimeCheck, Is.EqualTo("b + (m + (long long)n - 1) <= a || a + m <= b + ((long long)n - 1)"));
        var size = _c.Loops.Single(l => l.Function == "shift_size");
        Assert.That(size.RuntimeCheck, Does.Contain("b + ((long long)n - 1)"));
        var columns = _c.Loops.Where(l => l.Function == "rows").MaxBy(l => l.Line)!;
        Assert.That(columns.RuntimeCheck, Is.EqualTo("(-(long long)n >= 0) && (k - (long long)n <= 8)"));
    }

    /// <summary>The defect itself, compiled: the old texts hold where the new ones (correctly) do not.</summary>
    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_texts_in_the_symbols_own_types_pass_where_the_wide_ones_fail(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var probe = Ws.WriteSource(compiler + "_wrap_probe.c", """
            #include <stdio.h>
            int main(void)
            {
                double buf[64];
                double *a = buf, *b = buf + 2;
                long m = 16, k = 8;
                unsigned n = 0, one = 1;
                /* shift at n = 0: reads b[-1 .. m - 2] = a[1 .. m - 1], writes a[0 .. m - 1]: they overlap. */
                printf("%d %d\n", b + (m + n - 1) <= a || a + m <= b + (n - 1),
                       b + (m + (long long)n - 1) <= a || a + m <= b + ((long long)n - 1));
                /* rows at n = 1: column j - 1 is -1 at j = 0, outside the row. */
                printf("%d %d\n", (-one >= 0) && (k - one <= 8), (-(long long)one >= 0) && (k - (long long)one <= 8));
                return 0;
            }

            """);
        var exe = Path.Combine(Ws.Root, "wrap_probe_" + compiler);
        var build = GenerationWorkspace.Run(cc, ["-std=c11", "-w", probe, "-o", exe]);
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        Assert.That(GenerationWorkspace.Run(exe, []).StdOut, Is.EqualTo("1 0\n1 0\n"), "old text passes, wide text fails");
    }

    private const string ShiftProgram = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <stddef.h>

        static void shift(double *a, const double *b, long m, unsigned n)
        {
            for (long i = 0; i < m; i++)
                a[i] = b[i + n - 1] * 0.5 + 1.0;
        }

        static void shift_size(double *a, const double *b, long m, size_t n)
        {
            for (long i = 0; i < m; i++)
                a[i] = b[i + (long)n - 1] * 0.5 + 1.0;
        }

        static double fill_and_sum(double *buf, long len, int run)
        {
            double s = 0.0;
            for (long k = 0; k < len; k++) s += buf[k] * (double)(k % 7 + 1);
            for (long k = 0; k < len; k++) buf[k] = (double)((k * (run + 3)) % 1000);
            return s;
        }

        int main(void)
        {
            long m = 1000000;
            double *buf = malloc(sizeof(double) * (size_t)(m + 8));
            fill_and_sum(buf, m + 8, 0);
            for (unsigned n = 0; n < 2; n++) {
                shift(buf, buf + 2, m, n);
                printf("unsigned n %u: %.17g\n", n, fill_and_sum(buf, m + 8, (int)n + 1));
                shift_size(buf, buf + 2, m, (size_t)n);
                printf("size_t n %u: %.17g\n", n, fill_and_sum(buf, m + 8, (int)n + 5));
            }
            free(buf);
            return 0;
        }

        """;

    /// <summary>An anti-dependent shift whose overlap check must fail at n = 0 and n = 1: with the wide text both run as
    /// written, and the 4-thread program prints serial's sums, with no UBSan report (the old `b + (n - 1)` at a `size_t`
    /// n = 0 was a pointer overflow).</summary>
    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void Shifts_over_unsigned_and_size_t_offsets_print_on_4_threads_what_they_print_serially_under_UBSan(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler + "_shift.c", ShiftProgram);
        var result = Ws.RewritePlannedLoops(path);
        Assert.That(result.Text, Does.Contain("a + m <= b + ((long long)n - 1)"), result.Text);
        Assert.That(result.Text, Does.Not.Contain("b + (n - 1)"), result.Text);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result, "-O1", "-fsanitize=undefined", "-fno-sanitize-recover=all");
    }
}
