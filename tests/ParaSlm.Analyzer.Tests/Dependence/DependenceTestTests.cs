using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Dependence;

/// <summary>
/// The dependence tests (ZIV, strong/weak SIV, GCD, Banerjee, stride, delinearization) through small C
/// loops analyzed in-process: each test pairs a loop the test must prove parallel with a near twin it must
/// keep sequential, and checks the dependence facts where the verdict alone would not show which test decided.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Unit")]
public sealed class DependenceTestTests : SnippetFixture
{
    private const string Prelude = """
        #define N 4096
        static double a[N], b[N], c[N];
        static double m[512][512];
        static double flat[1 << 20];

        """;

    /// <summary>The loops of `void kernel(int n, int k, int q) { body }` after the shared declarations, in source order.</summary>
    private IReadOnlyList<LoopFacts> Loops(string body) =>
        Snippets.Loops(Prelude + "void kernel(int n, int k, int q)\n{\n" + body + "\n}\n");

    private LoopFacts Loop(string body)
    {
        var loops = Loops(body);
        Assert.That(loops, Has.Count.EqualTo(1), "the snippet has exactly one `for` loop");
        return loops[0];
    }

    private static void AssertParallel(LoopFacts l)
    {
        Assert.That(l.Parallelizable, Is.True, "expected parallel: " + SnippetAnalyzer.Describe(l));
        // Named arrays never need a pointer check; symbolic bounds may still need "the subscripts stay inside `m`'s rows".
        Assert.That(l.RuntimeCheck is null || l.Reason.StartsWith("parallel if every subscript stays inside its dimension", StringComparison.Ordinal),
            "named arrays need no pointer check: " + SnippetAnalyzer.Describe(l));
    }

    private static void AssertSequential(LoopFacts l) =>
        Assert.That(l.Parallelizable, Is.False, "expected sequential: " + SnippetAnalyzer.Describe(l));

    /// <summary>The single carried dependence the verdict rests on (the analyzer stops at the first one).</summary>
    private static DependenceFact Carried(LoopFacts l)
    {
        AssertSequential(l);
        var carried = l.Dependences.Where(d => d.Carried).ToList();
        Assert.That(carried, Has.Count.EqualTo(1), "one carried dependence: " + SnippetAnalyzer.Describe(l));
        return carried[0];
    }

    private static void AssertNoDependenceMentions(LoopFacts l, string access) =>
        Assert.That(l.Dependences.Where(d => d.Source == access || d.Sink == access), Is.Empty,
            $"`{access}` was proven independent, so no dependence may name it: " + SnippetAnalyzer.Describe(l));

    // ---- ZIV ----------------------------------------------------------------------------------------

    [Test]
    public void Ziv_constant_cell_written_every_iteration_is_carried()
    {
        var l = Loop("for (int i = 0; i < n; i++)\n    a[0] = b[i];");
        var d = Carried(l);
        Assert.Multiple(() =>
        {
            Assert.That(d.Source, Is.EqualTo("a[0]"));
            Assert.That(d.Sink, Is.EqualTo("a[0]"));
            Assert.That(d.Kind, Is.EqualTo("output"));
            Assert.That(d.Direction, Is.EqualTo("*"));
            Assert.That(d.Distance, Is.Null);
            Assert.That(l.Reason, Does.Contain("a[0]").And.Contain("may write the same element in different iterations"));
        });
    }

    [Test]
    public void Ziv_distinct_constant_cells_are_independent()
    {
        // a[0] against itself is still an output dependence, but the pair a[0] / a[1] must be separated by ZIV.
        var l = Loop("for (int i = 0; i < n; i++)\n    a[0] = a[1] + b[i];");
        var d = Carried(l);
        Assert.That((d.Source, d.Sink), Is.EqualTo(("a[0]", "a[0]")));
        AssertNoDependenceMentions(l, "a[1]");
    }

    [Test]
    public void Ziv_distinct_constant_columns_of_one_row_are_parallel()
    {
        var l = Loop("for (int i = 0; i < n; i++)\n    m[i][0] = m[i][1] * 2.0;");
        AssertParallel(l);
        AssertNoDependenceMentions(l, "m[i][1]");
        Assert.That(l.Dependences, Has.All.Matches<DependenceFact>(x => x.Direction == "=" && !x.Carried));
    }

    [Test]
    public void Ziv_symbolic_cells_differing_by_a_constant_are_independent()
    {
        var l = Loop("for (int i = 0; i < n; i++)\n    m[i][k] = m[i][k + 1] * 2.0;");
        AssertParallel(l);
        // Dimension by dimension is only valid while k and k + 1 stay inside a row of 512.
        Assert.That(l.RuntimeCheck, Is.EqualTo("(k <= 510) && (k >= 0)"));
    }

    [Test]
    public void Ziv_same_symbolic_cell_updated_every_iteration_is_carried()
    {
        var d = Carried(Loop("for (int i = 0; i < n; i++)\n    a[k] += b[i];"));
        Assert.That((d.Source, d.Direction, d.Distance), Is.EqualTo(("a[k]", "*", (long?)null)));
    }

    // ---- strong SIV ---------------------------------------------------------------------------------

    [Test]
    public void Strong_siv_with_distance_one_is_carried_flow()
    {
        var l = Loop("for (int i = 1; i < n; i++)\n    a[i] = a[i - 1] + b[i];");
        var d = Carried(l);
        Assert.Multiple(() =>
        {
            Assert.That(d.Kind, Is.EqualTo("flow"));
            Assert.That(d.Source, Is.EqualTo("a[i]"));
            Assert.That(d.Sink, Is.EqualTo("a[i - 1]"));
            Assert.That(d.Direction, Is.EqualTo("<"));
            Assert.That(d.Distance, Is.EqualTo(1));
            Assert.That(d.Test, Is.EqualTo("strong SIV"));
            Assert.That(l.Reason, Does.Contain("a[i - 1]").And.Contain("next iteration"));
        });
    }

    [Test]
    public void Strong_siv_reading_the_next_cell_is_carried_anti()
    {
        var d = Carried(Loop("for (int i = 0; i < n - 1; i++)\n    a[i] = a[i + 1] * 0.5;"));
        Assert.Multiple(() =>
        {
            Assert.That(d.Kind, Is.EqualTo("anti"));
            Assert.That(d.Direction, Is.EqualTo(">"));
            Assert.That(d.Distance, Is.EqualTo(-1));
            Assert.That(d.Test, Is.EqualTo("strong SIV"));
        });
    }

    [Test]
    public void Strong_siv_with_distance_two_is_carried()
    {
        var l = Loop("for (int i = 2; i < n; i++)\n    a[i] = a[i - 2] + c[i];");
        var d = Carried(l);
        Assert.That(d.Distance, Is.EqualTo(2));
        Assert.That(d.Direction, Is.EqualTo("<"));
        Assert.That(l.Reason, Does.Contain("2 iterations later"));
    }

    [Test]
    public void Strong_siv_with_symbolic_distance_k_is_carried_with_unknown_distance()
    {
        var d = Carried(Loop("for (int i = k; i < n; i++)\n    a[i] = a[i - k] + 1.0;"));
        Assert.Multiple(() =>
        {
            Assert.That(d.Distance, Is.Null);
            Assert.That(d.Direction, Is.EqualTo("*"));
            Assert.That(d.Sink, Is.EqualTo("a[i - k]"));
        });
    }

    [Test]
    public void Strong_siv_distance_equal_to_the_trip_count_is_independent()
    {
        AssertParallel(Loop("for (int i = 0; i < 100; i++)\n    a[i] = a[i + 100] + 1.0;"));
    }

    [Test]
    public void Strong_siv_distance_one_less_than_the_trip_count_is_carried()
    {
        var d = Carried(Loop("for (int i = 0; i < 100; i++)\n    a[i] = a[i + 99] + 1.0;"));
        Assert.That(d.Distance, Is.EqualTo(-99));
    }

    [Test]
    public void Strong_siv_with_distance_zero_is_loop_independent()
    {
        var l = Loop("for (int i = 0; i < n; i++)\n    a[i] = a[i] * 2.0 + b[i];");
        AssertParallel(l);
        Assert.That(l.Dependences, Is.Not.Empty, "the same-iteration dependence is still reported");
        Assert.Multiple(() =>
        {
            foreach (var d in l.Dependences)
            {
                Assert.That(d.Direction, Is.EqualTo("="), d.ToString());
                Assert.That(d.Carried, Is.False, d.ToString());
                Assert.That(d.Distance, Is.Null, d.ToString());
                Assert.That(d.Test, Is.EqualTo("strong SIV"), d.ToString());
            }
            Assert.That(l.Dependences.Any(d => d.Kind == "flow" && d.Sink == "a[i]"), Is.True);
        });
    }

    [Test]
    public void Strong_siv_distance_zero_across_statements_is_loop_independent()
    {
        var l = Loop("for (int i = 0; i < n; i++) {\n    a[i] = b[i] * 2.0;\n    c[i] = a[i] - 1.0;\n}");
        AssertParallel(l);
        Assert.That(l.Dependences.Single(d => d.Source == "a[i]" && d.SourceLine != d.SinkLine).Direction, Is.EqualTo("="));
    }

    [Test]
    public void Strong_siv_with_step_two_and_odd_distance_is_independent()
    {
        AssertParallel(Loop("for (int i = 0; i < n; i += 2)\n    a[i] = a[i + 1] + b[i];"));
    }

    [Test]
    public void Strong_siv_with_step_two_reading_both_odd_neighbours_is_independent()
    {
        AssertParallel(Loop("for (int i = 1; i < n - 1; i += 2)\n    a[i] = 0.5 * (a[i - 1] + a[i + 1]);"));
    }

    [Test]
    public void Strong_siv_with_step_two_and_two_elements_apart_is_carried_one_iteration_back()
    {
        var d = Carried(Loop("for (int i = 0; i < n - 2; i += 2)\n    a[i] = a[i + 2] + b[i];"));
        Assert.That(d.Distance, Is.EqualTo(-1), "distances are counted in iterations, not elements");
        Assert.That(d.Direction, Is.EqualTo(">"));
    }

    // ---- weak-zero SIV ------------------------------------------------------------------------------

    [Test]
    public void Weak_zero_siv_reading_a_cell_the_loop_writes_is_carried()
    {
        var d = Carried(Loop("for (int i = 0; i < n; i++)\n    a[i] = a[0] + b[i];"));
        Assert.Multiple(() =>
        {
            Assert.That(d.Kind, Is.EqualTo("flow"));
            Assert.That(d.Sink, Is.EqualTo("a[0]"));
            Assert.That(d.Direction, Is.EqualTo("*"));
        });
    }

    [Test]
    public void Weak_zero_siv_reading_a_cell_before_the_range_is_independent()
    {
        AssertParallel(Loop("for (int i = 1; i < n; i++)\n    a[i] = a[0] * b[i];"));
    }

    [Test]
    public void Weak_zero_siv_reading_a_cell_after_the_range_is_independent()
    {
        AssertParallel(Loop("for (int i = 0; i < 100; i++)\n    a[i] = a[100] * b[i];"));
    }

    [Test]
    public void Weak_zero_siv_reading_the_last_cell_of_the_range_is_carried()
    {
        Carried(Loop("for (int i = 0; i < 100; i++)\n    a[i] = a[99] * b[i];"));
    }

    // ---- weak-crossing SIV --------------------------------------------------------------------------

    [Test]
    public void Weak_crossing_siv_over_the_whole_range_is_carried()
    {
        var d = Carried(Loop("for (int i = 0; i < n; i++)\n    b[i] = b[n - 1 - i] + 1.0;"));
        Assert.That((d.Source, d.Sink, d.Direction), Is.EqualTo(("b[i]", "b[n - 1 - i]", "*")));
    }

    [Test]
    public void Weak_crossing_siv_over_the_first_half_is_independent()
    {
        AssertParallel(Loop("for (int i = 0; i < 50; i++) {\n    double t = a[i];\n    a[i] = a[99 - i];\n    a[99 - i] = t;\n}"));
    }

    [Test]
    public void Weak_crossing_siv_past_the_middle_is_carried()
    {
        Carried(Loop("for (int i = 0; i < 60; i++) {\n    double t = a[i];\n    a[i] = a[99 - i];\n    a[99 - i] = t;\n}"));
    }

    [Test]
    public void Weak_crossing_siv_over_the_symbolic_first_half_is_independent()
    {
        AssertParallel(Loop("for (int i = 0; i < n / 2; i++) {\n    double t = a[i];\n    a[i] = a[n - 1 - i];\n    a[n - 1 - i] = t;\n}"));
    }

    // ---- GCD ----------------------------------------------------------------------------------------

    [Test]
    public void Gcd_even_cells_written_odd_cells_read_are_independent()
    {
        var l = Loop("for (int i = 0; i < n; i++)\n    c[2 * i] = c[2 * i + 1] + a[i];");
        AssertParallel(l);
        AssertNoDependenceMentions(l, "c[2 * i + 1]");
    }

    [Test]
    public void Gcd_even_cell_read_from_the_next_even_cell_is_carried()
    {
        var d = Carried(Loop("for (int i = 0; i < n; i++)\n    c[2 * i] = c[2 * i + 2] + a[i];"));
        Assert.That(d.Distance, Is.EqualTo(-1));
        Assert.That(d.Kind, Is.EqualTo("anti"));
    }

    [Test]
    public void Gcd_over_two_counters_separates_even_writes_from_odd_reads()
    {
        // The writes 2i + 4j do collide across i (i = 0, j = 1 and i = 2, j = 0 both write cell 4), so the
        // outer loop stays sequential on the output dependence; the odd reads must be proven independent by GCD.
        var loops = Loops("for (int i = 0; i < n; i++)\n    for (int j = 0; j < n; j++)\n        flat[2 * i + 4 * j] = flat[2 * i + 4 * j + 1] * 0.5;");
        Assert.That(loops, Has.Count.EqualTo(2));
        var outer = Carried(loops[0]);
        Assert.That((outer.Kind, outer.Sink), Is.EqualTo(("output", "flat[2 * i + 4 * j]")));
        AssertNoDependenceMentions(loops[0], "flat[2 * i + 4 * j + 1]");
        AssertParallel(loops[1]);
        AssertNoDependenceMentions(loops[1], "flat[2 * i + 4 * j + 1]");
    }

    [Test]
    public void Gcd_over_two_counters_with_an_even_offset_is_carried_in_the_outer_loop_only()
    {
        var loops = Loops("for (int i = 0; i < n; i++)\n    for (int j = 0; j < n; j++)\n        flat[2 * i + 4 * j] = flat[2 * i + 4 * j + 2] * 0.5;");
        Assert.That(loops, Has.Count.EqualTo(2));
        var outer = Carried(loops[0]);
        Assert.That(outer.Sink, Is.EqualTo("flat[2 * i + 4 * j + 2]"), "GCD 2 divides the offset 2: the read is not separated");
        AssertParallel(loops[1]); // for a fixed i, 4j and 4j' + 2 never meet
    }

    // ---- Banerjee -----------------------------------------------------------------------------------

    [Test]
    public void Banerjee_with_symbolic_bounds_separates_i_from_i_plus_n()
    {
        AssertParallel(Loop("for (int i = 0; i < n; i++)\n    b[i] = b[i + n] * 2.0;"));
    }

    [Test]
    public void Banerjee_with_an_inclusive_bound_lets_i_plus_n_meet_i()
    {
        // i = n writes b[n], which iteration 0 read as b[0 + n].
        AssertSequential(Loop("for (int i = 0; i <= n; i++)\n    b[i] = b[i + n] * 2.0;"));
    }

    [Test]
    public void Banerjee_with_an_unrelated_symbolic_offset_is_carried()
    {
        AssertSequential(Loop("for (int i = 0; i < n; i++)\n    b[i] = b[i + k] * 2.0;"));
    }

    // ---- stride test and delinearization ------------------------------------------------------------

    [Test]
    public void Flattened_row_major_neighbour_in_the_row_is_parallel_in_i_and_carried_in_j()
    {
        var loops = Loops("for (int i = 0; i < n; i++)\n    for (int j = 0; j < n - 1; j++)\n        flat[i * n + j] = flat[i * n + j + 1] * 0.5;");
        Assert.That(loops, Has.Count.EqualTo(2));
        AssertParallel(loops[0]);
        Assert.That(loops[0].Dependences, Has.All.Matches<DependenceFact>(d => !d.Carried && d.Direction == "="));
        var inner = Carried(loops[1]);
        Assert.That(inner.Distance, Is.EqualTo(-1));
    }

    [Test]
    public void Flattened_row_major_previous_cell_with_j_from_one_is_parallel_in_i()
    {
        var loops = Loops("for (int i = 0; i < n; i++)\n    for (int j = 1; j < n; j++)\n        flat[i * n + j] = flat[i * n + j - 1] + 1.0;");
        AssertParallel(loops[0]);
        Assert.That(Carried(loops[1]).Distance, Is.EqualTo(1));
    }

    [Test]
    public void Flattened_row_major_previous_cell_with_j_from_zero_is_carried_in_i()
    {
        // j = 0 reads flat[i*n - 1], the last cell of row i - 1.
        var loops = Loops("for (int i = 0; i < n; i++)\n    for (int j = 0; j < n; j++)\n        flat[i * n + j] = flat[i * n + j - 1] + 1.0;");
        Assert.That(loops, Has.Count.EqualTo(2));
        AssertSequential(loops[0]);
        AssertSequential(loops[1]);
    }

    [Test]
    public void Flattened_column_major_update_is_parallel_in_i()
    {
        var loops = Loops("for (int i = 0; i < n; i++)\n    for (int j = 0; j < n; j++)\n        flat[j * n + i] = 2.0 * flat[j * n + i] + c[i];");
        Assert.That(loops, Has.Count.EqualTo(2));
        AssertParallel(loops[0]);
        Assert.That(loops[0].Dependences, Has.All.Matches<DependenceFact>(d => !d.Carried && d.Direction == "="));
    }

    [Test]
    public void Flattened_column_major_neighbour_along_i_is_carried_in_i()
    {
        var loops = Loops("for (int i = 0; i < n - 1; i++)\n    for (int j = 0; j < n; j++)\n        flat[j * n + i] = flat[j * n + i + 1] * 0.5;");
        AssertSequential(loops[0]);
    }

    [Test]
    public void Flattened_with_unknown_row_length_is_delinearized_only_under_a_row_check()
    {
        // The row length k is unrelated to the range of j (0..n-1, read up to n): rows may overlap unless the columns the loop
        // touches, 0..n, span less than a row — which is checked before the loop (a failed check runs it as written).
        var loops = Loops("for (int i = 0; i < n; i++)\n    for (int j = 0; j < n; j++)\n        flat[i * k + j] = flat[i * k + j + 1] * 0.5;");
        Assert.That(loops[0].Parallelizable, Is.True, loops[0].Reason);
        Assert.That(loops[0].RuntimeCheck, Is.EqualTo("-(long long)k + n <= -1"), "n - k <= -1 in long long: ToWideString's order");
        // The same nest with the row length changed in the loop stays serial.
        var written = Loops("for (int i = 0; i < n; i++) {\n    k = k + 1;\n    for (int j = 0; j < n; j++)\n        flat[i * k + j] = flat[i * k + j + 1] * 0.5;\n}");
        AssertSequential(written[0]);
    }

    // ---- triangular loops ---------------------------------------------------------------------------

    [Test]
    public void Triangular_inner_loop_from_i_plus_one_never_touches_the_pivot()
    {
        var loops = Loops("for (int i = 0; i < n; i++)\n    for (int j = i + 1; j < n; j++)\n        a[j] = a[j] - a[i] * m[j][i];");
        Assert.That(loops, Has.Count.EqualTo(2));
        AssertSequential(loops[0]);
        AssertParallel(loops[1]);
    }

    [Test]
    public void Triangular_inner_loop_from_i_writes_the_pivot_it_reads()
    {
        var loops = Loops("for (int i = 0; i < n; i++)\n    for (int j = i; j < n; j++)\n        a[j] = a[j] - a[i] * m[j][i];");
        AssertSequential(loops[0]);
        AssertSequential(loops[1]);
    }

    [Test]
    public void Triangular_matrix_vector_product_is_parallel_over_rows()
    {
        var loops = Loops("for (int i = 0; i < n; i++)\n    for (int j = 0; j <= i; j++)\n        a[i] += m[i][j] * b[j];");
        Assert.That(loops, Has.Count.EqualTo(2));
        AssertParallel(loops[0]);
        AssertSequential(loops[1]);
    }

    [Test]
    public void Triangular_upper_part_update_is_parallel_in_both_loops()
    {
        var loops = Loops("for (int i = 0; i < 512; i++)\n    for (int j = i + 1; j < 512; j++)\n        m[i][j] = m[i][j] * 0.5 + 1.0;");
        AssertParallel(loops[0]);
        AssertParallel(loops[1]);
    }

    // ---- fields -------------------------------------------------------------------------------------

    private const string Records = """
        typedef struct { double x, y; } pt;
        typedef union { double d; long long l; } cell;
        static pt pts[N];
        static cell cells[N];
        static long long bits[N];

        """;

    [Test]
    public void Distinct_fields_of_neighbouring_struct_elements_are_independent()
    {
        var l = Snippets.Loops(Prelude + Records + "void kernel(int n)\n{\n    for (int i = 0; i < n - 1; i++)\n        pts[i].x = pts[i + 1].y - pts[i].y;\n}\n").Single();
        AssertParallel(l);
        AssertNoDependenceMentions(l, "pts[i + 1].y");
    }

    [Test]
    public void Same_field_of_the_next_struct_element_is_carried()
    {
        var l = Snippets.Loops(Prelude + Records + "void kernel(int n)\n{\n    for (int i = 0; i < n - 1; i++)\n        pts[i].x = pts[i + 1].x + pts[i].y;\n}\n").Single();
        var d = Carried(l);
        Assert.That((d.Sink, d.Distance), Is.EqualTo(("pts[i + 1].x", (long?)-1)));
    }

    [Test]
    public void Different_members_of_a_union_share_storage_and_are_carried()
    {
        // Iteration i + 1 writes cells[i + 1].d; iteration i reads the same bytes as cells[i + 1].l.
        var l = Snippets.Loops(Prelude + Records + "void kernel(int n)\n{\n    for (int i = 0; i < n - 1; i++) {\n        cells[i].d = 1.0;\n        bits[i] = cells[i + 1].l;\n    }\n}\n").Single();
        AssertSequential(l);
    }

    // ---- multi-dimensional arrays and direction vectors ---------------------------------------------

    [Test]
    public void Multidim_dependence_along_j_is_parallel_outer_and_sequential_inner()
    {
        var loops = Loops("for (int i = 0; i < n; i++)\n    for (int j = 1; j < n; j++)\n        m[i][j] = m[i][j - 1] + 1.0;");
        Assert.That(loops, Has.Count.EqualTo(2));
        AssertParallel(loops[0]);
        var outer = loops[0].Dependences.Single(d => d.Sink == "m[i][j - 1]");
        Assert.That((outer.Direction, outer.Carried), Is.EqualTo(("=", false)), "direction vector (=, <): the outer level sees `=`");
        var inner = Carried(loops[1]);
        Assert.That((inner.Direction, inner.Distance, inner.Sink), Is.EqualTo(("<", (long?)1, "m[i][j - 1]")));
    }

    [Test]
    public void Multidim_dependence_along_i_is_sequential_outer_and_parallel_inner()
    {
        var loops = Loops("for (int i = 1; i < n; i++)\n    for (int j = 0; j < n; j++)\n        m[i][j] = m[i - 1][j] + 1.0;");
        Assert.That(loops, Has.Count.EqualTo(2));
        var outer = Carried(loops[0]);
        Assert.That((outer.Direction, outer.Distance, outer.Sink), Is.EqualTo(("<", (long?)1, "m[i - 1][j]")));
        AssertParallel(loops[1]);
        AssertNoDependenceMentions(loops[1], "m[i - 1][j]");
    }

    [Test]
    public void Direction_vector_less_greater_is_carried_by_the_outer_loop_only()
    {
        var loops = Loops("for (int i = 1; i < n; i++)\n    for (int j = 0; j < n - 1; j++)\n        m[i][j] = m[i - 1][j + 1] + 1.0;");
        var outer = Carried(loops[0]);
        Assert.That((outer.Direction, outer.Distance), Is.EqualTo(("<", (long?)1)));
        AssertParallel(loops[1]);
    }

    [Test]
    public void Direction_vector_greater_less_is_an_anti_dependence_of_the_outer_loop()
    {
        var loops = Loops("for (int i = 0; i < n - 1; i++)\n    for (int j = 1; j < n; j++)\n        m[i][j] = m[i + 1][j - 1] + 1.0;");
        var outer = Carried(loops[0]);
        Assert.That((outer.Kind, outer.Direction, outer.Distance), Is.EqualTo(("anti", ">", (long?)-1)));
        AssertParallel(loops[1]);
    }

    [Test]
    public void Direction_vector_equal_equal_is_parallel_at_both_levels()
    {
        var loops = Loops("for (int i = 0; i < n; i++)\n    for (int j = 0; j < n; j++)\n        m[i][j] = m[i][j] * 0.5;");
        AssertParallel(loops[0]);
        AssertParallel(loops[1]);
        Assert.That(loops.SelectMany(l => l.Dependences), Has.All.Matches<DependenceFact>(d => d.Direction == "=" && !d.Carried));
    }

    [Test]
    public void Inconsistent_distances_in_two_dimensions_are_independent()
    {
        // Row distance 1 and column distance 2 cannot both hold for the same pair of iterations.
        AssertParallel(Loop("for (int i = 2; i < 512; i++)\n    m[i][i] = m[i - 1][i - 2] + 1.0;"));
    }

    [Test]
    public void Diagonal_read_one_row_up_is_carried()
    {
        var d = Carried(Loop("for (int i = 1; i < 512; i++)\n    m[i][i] = m[i - 1][i - 1] + 1.0;"));
        Assert.That(d.Distance, Is.EqualTo(1));
    }
}
