using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Append loops (issue 12 item 6, issue 14's BFS): the analyzer's proof of the ordered-append and claim-two-phase forms
/// and the near misses that stay serial, the plan element and the verifier's check of it, the generated text with its
/// `#line` mapping, and outputs identical to the serial program's on 4 threads with gcc and clang, C and C++.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class OrderedAppendTransformTests : GenerationFixture
{
    // A BFS over a random CSR graph with many repeated neighbours (frontier and next are plain pointers: a run-time
    // overlap check), a filter into a distinct array, a claim written `0 == P[w]` with two values derived from w, and a
    // filter called once with its output inside the array it reads (the overlap check fails: the original loop runs) and
    // once apart. Every result (out, cnt, P) is printed.
    private const string Program = """
        #include <stdio.h>
        #include <stdlib.h>
        #define N 20000
        #define DEG 9

        static int rowptr_[N + 1], col_[N * DEG], dist_[N], mark[N], vals[N], kept[N];
        static unsigned long long seed = 88172645463325252ULL;
        static int next_random(int n) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return (int)(seed % (unsigned long long)n); }

        static int bfs_level(const int *restrict rowptr, const int *restrict col, int *restrict dist, const int *frontier, int nfrontier, int *next, int level) {
            int nnext = 0;
            for (int f = 0; f < nfrontier; f++) {
                int v = frontier[f];
                for (int e = rowptr[v]; e < rowptr[v + 1]; e++) {
                    int w = col[e];
                    if (dist[w] < 0) {
                        dist[w] = level + 1;
                        next[nnext++] = w;
                    }
                }
            }
            return nnext;
        }

        static int filter(int n, int threshold) {
            int count = 0;
            for (int i = 0; i < n; i++)
                if (vals[i] % 7 > threshold) kept[count++] = vals[i] * 3 - i;
            return count;
        }

        static int claim_equal(const int *restrict cand, int n, long *out) {
            int m = 0;
            for (int i = 0; i <= n - 1; i++) {
                int w = cand[i] % N;
                if (0 == mark[w]) {
                    out[m++] = 2L * w + 1;
                    mark[w] = 5;
                }
            }
            return m;
        }

        static int filter_into(const int *src, int n, int *dst, int at) {
            int count = at;
            for (int i = 0; i < n; i++)
                if (src[i] % 2 == 0) dst[count++] = src[i] + 1;
            return count;
        }

        int main(void) {
            int nedges = 0;
            int *rowptr = rowptr_, *col = col_, *dist = dist_;
            for (int v = 0; v < N; v++) {
                rowptr[v] = nedges;
                col[nedges++] = (v + 1) % N;
                for (int d = 1; d < DEG; d++) col[nedges++] = next_random(N / 50);
            }
            rowptr[N] = nedges;
            int *frontier = malloc(N * sizeof(int)), *next = malloc(N * sizeof(int));
            for (int v = 0; v < N; v++) dist[v] = -1;
            dist[0] = 0; frontier[0] = 0;
            int nfrontier = 1, level = 0;
            while (nfrontier > 0) {
                int nn = bfs_level(rowptr, col, dist, frontier, nfrontier, next, level);
                for (int k = 0; k < nn; k++) printf("%d ", next[k]);
                printf("| %d\n", nn);
                int *t = frontier; frontier = next; next = t;
                nfrontier = nn;
                level++;
            }
            long sum = 0;
            for (int v = 0; v < N; v++) sum += (long)dist[v] * (v % 5 + 1);
            printf("dist %ld\n", sum);

            for (int i = 0; i < N; i++) vals[i] = next_random(1000);
            int c = filter(N, 3);
            for (int k = 0; k < c; k += 97) printf("%d ", kept[k]);
            printf("| kept %d\n", c);

            long out[N];
            int m = claim_equal(vals, N, out);
            for (int k = 0; k < m; k += 13) printf("%ld ", out[k]);
            printf("| claimed %d\n", m);

            int *a = malloc(2 * N * sizeof(int));
            for (int i = 0; i < 2 * N; i++) a[i] = next_random(100);
            int na = filter_into(a, N, a, N / 2);
            long h = 0;
            for (int i = 0; i < na; i++) h = h * 31 + a[i];
            printf("overlapping %d %ld\n", na, h);
            na = filter_into(a, N, a + N, 0);
            for (int i = 0; i < 2 * N; i++) h = h * 31 + a[i];
            printf("apart %d %ld\n", na, h);
            printf("line %d\n", __LINE__);
            free(a); free(frontier); free(next);
            return 0;
        }
        """;

    private const string CppProgram = """
        #include <cstdio>
        #include <vector>
        #define N 30000

        static int parent_[N];

        // C++: the frontier and the output are plain pointers into vectors; the claim stores a value of another type.
        static int expand(const int *frontier, int nf, const int *__restrict adj, int *__restrict parent, int *next, short level) {
            int n = 0;
            for (int f = 0; f < nf; ++f) {
                for (int k = 0; k < 6; ++k) {
                    const int w = adj[(frontier[f] * 6 + k) % (N * 6)] % N;
                    if (parent[w] > level) { parent[w] = level; next[n++] = w; }
                }
            }
            return n;
        }

        int main() {
            std::vector<int> adj(N * 6);
            unsigned x = 12345;
            for (auto &a : adj) { x = x * 1103515245u + 12345u; a = (int)((x >> 8) % (N / 40)); }
            for (int v = 0; v < N; ++v) parent_[v] = 1000;
            std::vector<int> front(N), next(N);
            for (int v = 0; v < 40; ++v) front[v] = v * 7;
            int nf = 40;
            for (short level = 0; level < 6 && nf > 0; ++level) {
                int n = expand(front.data(), nf, adj.data(), parent_, next.data(), level);
                long h = 0;
                for (int k = 0; k < n; ++k) h = h * 131 + next[k];
                std::printf("%d %ld\n", n, h);
                front.swap(next);
                nf = n;
            }
            long s = 0;
            for (int v = 0; v < N; ++v) s += (long)parent_[v] * (v % 9);
            std::printf("parent %ld line %d\n", s, __LINE__);
            return 0;
        }
        """;

    // Each function is one near miss: the loop must keep its serial form.
    private const string NearMisses = """
        #define N 1000
        int in[N], out[N], P[N], Q[N], idx[N], other[N];

        int out_read(void) {
            int n = 0;
            for (int i = 0; i < N; i++) if (in[i] > out[0]) out[n++] = in[i];
            return n;
        }

        int count_read(void) {
            int n = 0;
            for (int i = 0; i < N; i++) if (in[i] > 0) out[n++] = in[i] + n;
            return n;
        }

        int value_passes_test(void) {
            int n = 0;
            for (int i = 0; i < N; i++) {
                int w = idx[i];
                if (P[w] < 0) { P[w] = -2; out[n++] = w; }
            }
            return n;
        }

        int claim_array_written_elsewhere(void) {
            int n = 0;
            for (int i = 0; i < N; i++) {
                int w = idx[i];
                if (P[w] < 0) { P[w] = 1; out[n++] = w; }
                P[i] = 0;
            }
            return n;
        }

        int aliasing_without_check(int *dst, const int *src) {
            int n = 0;
            for (int i = 0; i < N; i++) if (src[idx[i]] > 0) dst[n++] = i;
            return n;
        }

        int non_unit_append(void) {
            int n = 0;
            for (int i = 0; i < N; i++) if (in[i] > 0) { out[n] = in[i]; n += 2; }
            return n;
        }

        int other_write(void) {
            int n = 0;
            for (int i = 0; i < N; i++) { other[i] = in[i]; if (in[i] > 0) out[n++] = in[i]; }
            return n;
        }

        int claim_unsigned_bound(void) {
            int n = 0;
            for (int i = 0; i < N; i++) {
                int w = idx[i];
                if (P[w] > 5u) { P[w] = -2; out[n++] = w; }
            }
            return n;
        }

        int claim_value_varies(void) {
            int n = 0;
            for (int i = 0; i < N; i++) {
                int w = idx[i];
                if (Q[w] < 0) { Q[w] = i; out[n++] = w; }
            }
            return n;
        }
        """;

    [Test]
    public void Append_and_claim_loops_are_recognized_with_their_checks()
    {
        var loops = Ws.Analyze(Ws.WriteSource("forms.c", Program)).Loops;
        OrderedAppend? Of(string function) => loops.First(l => l.Function == function && l.ParentId is null).Append;
        var bfs = Of("bfs_level");
        Assert.That(bfs, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(bfs?.TransformName, Is.EqualTo(OrderedAppend.ClaimName));
            Assert.That(bfs!.Test, Is.EqualTo("dist[w] < 0"));
            Assert.That(bfs.Precondition, Is.EqualTo("!((int)(level + 1) < (0))"), "the claimed value, stored as the element, must fail the test");
            Assert.That(bfs.OverlapCheck, Does.Contain("next + nnext + paraslm_m").And.Contain("frontier"), "frontier and next are plain pointers");
            Assert.That(Of("filter")?.TransformName, Is.EqualTo(OrderedAppend.AppendName));
            Assert.That(Of("filter")!.Pushed, Is.EqualTo("vals[i] * 3 - i"));
            Assert.That(Of("filter")!.OverlapCheck, Is.Null, "distinct declared arrays never overlap");
            Assert.That(Of("claim_equal")?.Precondition, Is.Null, "`5 == 0` is false: decided statically");
            Assert.That(Of("claim_equal")!.High, Is.EqualTo("(n - 1) + 1"));
            Assert.That(Of("filter_into")?.OverlapCheck, Does.Contain("dst + count + paraslm_m").And.Contain("src"));
            Assert.That(loops.First(l => l.Function == "bfs_level").Parallelizable, Is.False, "the loop itself stays serial as written");
        });
    }

    [TestCase("out_read", TestName = "An_append_whose_output_is_read_in_the_loop_stays_serial")]
    [TestCase("count_read", TestName = "An_append_whose_count_is_used_elsewhere_in_the_loop_stays_serial")]
    [TestCase("value_passes_test", TestName = "A_claim_whose_value_passes_its_own_test_stays_serial")]
    [TestCase("claim_array_written_elsewhere", TestName = "A_claim_whose_array_is_written_elsewhere_in_the_body_stays_serial")]
    [TestCase("aliasing_without_check", TestName = "An_append_into_a_pointer_that_may_alias_an_unbounded_read_stays_serial")]
    [TestCase("non_unit_append", TestName = "A_non_unit_append_stays_serial")]
    [TestCase("other_write", TestName = "An_append_loop_with_another_write_stays_serial")]
    [TestCase("claim_value_varies", TestName = "A_claim_whose_value_changes_in_the_loop_stays_serial")]
    public void Near_misses_keep_their_serial_form(string function)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("near.c", NearMisses));
        var loop = analysis.Loops.First(l => l.Function == function && l.ParentId is null);
        Assert.That(loop.Append, Is.Null);
        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Single(p => p.Id == loop.Id).IsParallel, Is.False);
        var text = SourceRewriter.Rewrite(analysis.File, NearMisses, plans.Where(p => p.IsParallel)
            .Select(p => LoopEdit.ForProposal(analysis.Loops.Single(l => l.Id == p.Id), p.Proposal, p.RuntimeCheck)).ToList()).Text;
        Assert.That(text, Does.Not.Contain(OrderedAppend.AppendName).And.Not.Contain(OrderedAppend.ClaimName));
    }

    [Test]
    public void A_claim_compared_with_an_unsigned_bound_is_not_decided_statically_but_tested_before_the_loop()
    {
        // (unsigned)-2 > 5u holds: comparing -2 with 5 as signed numbers would wrongly prove the claim monotone.
        var analysis = Ws.Analyze(Ws.WriteSource("unsigned.c", NearMisses));
        var append = analysis.Loops.First(l => l.Function == "claim_unsigned_bound" && l.ParentId is null).Append;
        Assert.That(append?.Precondition, Is.EqualTo("!((int)(-2) > (5u))"));
    }

    [Test]
    public void The_plan_names_the_transform_and_the_verifier_rejects_it_where_the_facts_do_not_prove_it()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("plan.c", Program));
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var plans = FilePlanner.AnalyzerPlan(analysis);
        var bfs = analysis.Loops.First(l => l.Function == "bfs_level" && l.ParentId is null);
        var plan = plans.Single(p => p.Id == bfs.Id);
        Assert.That(plan.Proposal.Transform, Is.EqualTo(OrderedAppend.ClaimName));
        Assert.That(plan.Reason, Does.Contain("makes the test `dist[w] < 0` false"));
        Assert.That(plan.Verdict, Is.EqualTo(VerdictKind.Accepted));
        Assert.That(plans.Where(p => byId[p.Id].ParentId == bfs.Id).Select(p => p.IsParallel), Is.All.False, "the edge loop is part of phase 1");

        // Without the transform the loop is unsafe; with the other transform's name, or on a GPU, it is rejected.
        var plain = new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []);
        Assert.That(PlanVerifier.Verify(bfs, plain, byId, false).Code, Is.EqualTo(PlanVerifier.UnsafeParallel));
        Assert.That(PlanVerifier.Verify(bfs, plain with { Transform = OrderedAppend.AppendName }, byId, false).Plan.Parallel, Is.False);
        Assert.That(PlanVerifier.Verify(bfs, plain with { Transform = OrderedAppend.ClaimName, Target = ParallelTarget.GpuOpenMPOffload }, byId, false).Plan.Parallel, Is.False);
        var repaired = PlanVerifier.Verify(bfs, plain with { Transform = OrderedAppend.ClaimName, Schedule = "guided", Collapse = 2 }, byId, false);
        Assert.That(repaired.Kind, Is.EqualTo(VerdictKind.Repaired));
        Assert.That(repaired.Plan is { Parallel: true, Schedule: null, Collapse: 1 }, Is.True);
        // A parallel loop that is not an append loop: the name is dropped.
        var filterFacts = analysis.Loops.First(l => l.Function == "main" && l.Parallelizable);
        Assert.That(PlanVerifier.Verify(filterFacts, plain with { Transform = OrderedAppend.AppendName }, byId, false).Plan.Transform, Is.Null);
    }

    [Test]
    public void The_generated_two_phase_form_keeps_the_users_lines_and_the_serial_fallback()
    {
        var path = Ws.WriteSource("text.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        var lines = Program.Split('\n');
        int LineOf(string s) => Array.FindIndex(lines, l => l.Contains(s, StringComparison.Ordinal)) + 1;
        var text = result.Text;
        Assert.That(text, Does.Contain("#pragma omp parallel for schedule(dynamic, 1) reduction(|:paraslm_bad)"));
        Assert.That(text, Does.Contain("if ((!((int)(level + 1) < (0)))) {"), "the precondition guards the form");
        Assert.That(text, Does.Contain("#define PARASLM_APPEND_FORMS 0"), "compiled in only on request");
        Assert.That(text, Does.Contain("#define PARASLM_APPEND_MIN_THREADS 4").And.Contain("#pragma omp parallel reduction(+:paraslm_t)\n").And.Contain("} if (paraslm_t >= PARASLM_APPEND_MIN_THREADS) {"),
            "on fewer threads the original loop runs: the form would be slower");
        Assert.That(text, Does.Contain("{ if (dist[w] < 0) { unsigned paraslm_h = "), "phase 1 keeps a candidate that passes the test");
        Assert.That(text, Does.Contain("if (!paraslm_has[paraslm_h] || paraslm_seen[paraslm_h] != (w)) {"), "once per chunk");
        Assert.That(text, Does.Contain("do { if (paraslm_n == paraslm_cap)"), "an append keeps every value");
        // Phase 2 runs the claim itself, at its own line; the original loop follows for the fallback.
        Assert.That(text, Does.Contain($"#line {LineOf("if (dist[w] < 0) {")} \""));
        Assert.That(text, Does.Contain("for (int f = 0; f < nfrontier; f++) {"));
        Assert.That(text, Does.Contain("kept[count++] = paraslm_bp[paraslm_c][paraslm_k];"));
        Assert.That(text, Does.Contain("__builtin_prefetch(&dist[paraslm_bp[paraslm_c][paraslm_k + 16]], 1);"), "phase 2 fetches the elements it will test ahead");
        Assert.That(result.Outcomes.Count(o => o.Applied && (o.Reason.Contains(OrderedAppend.ClaimName) || o.Reason.Contains(OrderedAppend.AppendName))), Is.EqualTo(4));
        Assert.That(result.ReviewText, Does.Not.Contain("#line"));
    }

    [Test]
    public void The_two_phase_form_runs_when_compiled_in_on_4_threads_and_the_original_loop_otherwise()
    {
        var cc = GenerationWorkspace.RequireTool("gcc");
        var path = Ws.WriteSource("gate.c", Program);
        var rewritten = Ws.WriteRewritten(path, Ws.RewritePlannedLoops(path).Text);
        // The thread test counts how often it let the form run (the probe header reports at exit, on stderr).
        var probe = Path.Combine(Ws.Root, "gate_probe.h");
        File.WriteAllText(probe, "#include <stdio.h>\nstatic int paraslm_gate_hits;\n" +
                                 "__attribute__((destructor)) static void paraslm_gate_report(void) { fprintf(stderr, \"gate %d\\n\", paraslm_gate_hits); }\n");
        var exe = Path.Combine(Ws.Root, "gate");
        var build = GenerationWorkspace.Run(cc, ["-std=c11", "-O1", "-fopenmp", "-include", probe,
            "-DPARASLM_APPEND_FORMS=1", "-DPARASLM_APPEND_MIN_THREADS=(paraslm_gate_hits += (paraslm_t >= 4), 4)", rewritten, "-o", exe]);
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        var four = GenerationWorkspace.Run(exe, [], environment: GenerationWorkspace.FourThreads);
        var two = GenerationWorkspace.Run(exe, [], environment: new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "2", ["OMP_WAIT_POLICY"] = "passive" });
        Assert.That(four.StdErr, Does.Match(@"gate [1-9][0-9]*"), "every call with enough work ran in two phases");
        Assert.That(two.StdErr, Does.Contain("gate 0"), "on 2 threads the original loop ran every time");
        Assert.That(two.StdOut, Is.EqualTo(four.StdOut));

        // Without PARASLM_APPEND_FORMS the two phases are not compiled at all: the original loops run on any thread count.
        var plainExe = Path.Combine(Ws.Root, "gate_off");
        var plain = GenerationWorkspace.Run(cc, ["-std=c11", "-O1", "-fopenmp", "-include", probe,
            "-DPARASLM_APPEND_MIN_THREADS=(paraslm_gate_hits += (paraslm_t >= 4), 4)", rewritten, "-o", plainExe]);
        Assert.That(plain.ExitCode, Is.Zero, plain.Output);
        var off = GenerationWorkspace.Run(plainExe, [], environment: GenerationWorkspace.FourThreads);
        Assert.That(off.StdErr, Does.Contain("gate 0"), "the default build never enters the form");
        Assert.That(off.StdOut, Is.EqualTo(four.StdOut));
        // Nor does the default build warn about ParaSlm's own names on the user's lines (a -Werror build would reject the copy).
        var quiet = GenerationWorkspace.Run(cc, ["-std=c11", "-O1", "-fopenmp", "-Wunused-variable", "-Werror", "-fsyntax-only", rewritten]);
        Assert.That(quiet.ExitCode, Is.Zero, quiet.Output);
    }

    [Test]
    public void A_compiler_without_the_GNU_builtins_compiles_only_the_original_loops()
    {
        // MSVC and clang-cl do not define __GNUC__: the two phases must not be compiled there (a realloc that does not
        // exist would fail the link if they were), and the loops still print what the serial program prints.
        var cc = GenerationWorkspace.RequireTool("gcc");
        var path = Ws.WriteSource("no_gnu.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        Assert.That(result.Text, Does.Contain("#if defined(__GNUC__) && PARASLM_APPEND_FORMS"));
        // The C library's headers need __GNUC__ on this system: they are read first, then the program sees a compiler without it.
        var notGnu = Path.Combine(Ws.Root, "not_gnu.h");
        File.WriteAllText(notGnu, "#include <stdio.h>\n#include <stdlib.h>\n#undef __GNUC__\n");
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result, "-O1", "-DPARASLM_APPEND_FORMS=1", "-include", notGnu, "-D__builtin_realloc=paraslm_no_such_realloc");
    }

    [TestCase("gcc", "-std=c11", "c")]
    [TestCase("clang-19", "-std=c11", "c")]
    [TestCase("g++", "-std=c++17", "cpp")]
    [TestCase("clang++-19", "-std=c++17", "cpp")]
    public void The_two_phase_loops_print_on_4_threads_exactly_what_the_serial_loops_print(string compiler, string std, string extension) =>
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, std, $"{compiler.Replace("+", "p")}_append.{extension}", extension == "c" ? Program : CppProgram,
            path => Ws.RewritePlannedLoops(path), result => Assert.That(result.Text, Does.Contain(OrderedAppend.ClaimName)), "-O1", "-DPARASLM_APPEND_FORMS=1");
}
