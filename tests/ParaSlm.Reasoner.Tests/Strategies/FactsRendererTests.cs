using System.Globalization;
using ParaSlm.Reasoner.Strategies;

namespace ParaSlm.Reasoner.Tests.Strategies;

/// <summary>The facts as prompts show them: complete enough to decide, deterministic, compact, without the verdict.</summary>
[Category("Unit")]
public sealed class FactsRendererTests : NestBedFixture
{
    private const string Kernels = """
        #include <math.h>
        #include <stdio.h>
        #define N 512
        double A[N][N], B[N][N], C[N][N];
        float x[4096], y[4096];
        void matmul(void) {
          for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
              double sum = 0;
              for (int k = 0; k < N; k++) sum += A[i][k] * B[k][j];
              C[i][j] = sum;
            }
        }
        void prefix(float *a, int n) {
          for (int i = 1; i < n; i++) a[i] = a[i - 1] + a[i];
        }
        void norms(void) {
          float t;
          for (int i = 0; i < 4096; i++) { t = sqrtf(x[i]); y[i] = t * t; }
        }
        void trace(void) {
          for (int i = 0; i < 4096; i++) printf("%f\n", y[i]);
        }
        """;

    [Test]
    public void Rendering_is_deterministic_across_analyses_and_cultures()
    {
        var first = Bed.Nests(Kernels).Select(n => FactsRenderer.Render(n) + FactsRenderer.Source(n)).ToList();
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var second = Bed.Nests(Kernels).Select(n => FactsRenderer.Render(n) + FactsRenderer.Source(n)).ToList();
            CultureInfo.CurrentCulture = new CultureInfo("ar-SA");
            var third = Bed.Nests(Kernels).Select(n => FactsRenderer.Render(n) + FactsRenderer.Source(n)).ToList();
            Assert.That(second, Is.EqualTo(first));
            Assert.That(third, Is.EqualTo(first));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Test]
    public void A_nest_shows_its_loops_trip_counts_accesses_dependences_and_scalars()
    {
        var text = FactsRenderer.Render(Bed.Nest(Kernels, 0));
        TestContext.Out.WriteLine(text);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("nest in function `matmul`, 3 loops"));
            Assert.That(text, Does.Contain("- loop line 7: i from 0"));
            Assert.That(text, Does.Contain("512 iterations"));
            Assert.That(text, Does.Contain("- loop line 8 (inside line 7)"));
            Assert.That(text, Does.Contain("collapse up to 2"));
            Assert.That(text, Does.Contain("- line 10: A[i][k] read"));
            Assert.That(text, Does.Contain("- line 11: C[i][j] write"));
            Assert.That(text, Does.Contain("- loop line 7: none carried (1 within one iteration)"));
            Assert.That(text, Does.Contain("- loop line 10: sum reduction(+)"));
        });
    }

    [Test]
    public void A_carried_dependence_shows_direction_distance_and_carried()
    {
        var text = FactsRenderer.Render(Bed.Nest(Kernels, 1));
        Assert.That(text, Does.Contain("- loop line 15: flow a[i] (line 15) -> a[i - 1] (line 15), direction <, distance 1, carried"));
    }

    [Test]
    public void Scalars_and_calls_show_their_class_and_purity()
    {
        var norms = FactsRenderer.Render(Bed.Nest(Kernels, 2));
        var trace = FactsRenderer.Render(Bed.Nest(Kernels, 3));
        Assert.That(norms, Does.Contain("- loop line 19: t private"));
        Assert.That(norms, Does.Contain("- sqrtf (line 19): no side effects"));
        Assert.That(trace, Does.Contain("- printf (line 22): HAS SIDE EFFECTS"));
    }

    [Test]
    public void The_verdict_is_left_out_unless_asked_for()
    {
        var prefix = Bed.Nest(Kernels, 1);
        var plain = FactsRenderer.Render(prefix);
        var withVerdict = FactsRenderer.Render(prefix, FactsRendering.WithVerdict);
        Assert.That(plain, Does.Not.Contain("verdict").And.Not.Contain("sequential:").And.Not.Contain("parallelizable"));
        Assert.That(withVerdict, Does.Contain("analyzer verdict:").And.Contain("- loop line 15: sequential: `a[i]` written at line 15"));
        Assert.That(FactsRenderer.Render(Bed.Nest(Kernels, 2), FactsRendering.WithVerdict), Does.Contain("- loop line 19: parallelizable with private(t)"));
    }

    [Test]
    public void Obstacles_the_lists_do_not_show_are_listed()
    {
        var nest = Bed.Nest("""
            int find(const int *v, int n, int key) {
              int at = -1;
              for (int i = 0; i < n; i++) if (v[i] == key) { at = i; break; }
              return at;
            }
            """);
        Assert.That(FactsRenderer.Render(nest), Does.Contain("other obstacles found in the body:\n- loop line 3: `break` leaves the loop early (line 3)"));
    }

    [Test]
    public void Source_lines_are_numbered_from_the_loop_line()
    {
        var source = FactsRenderer.Source(Bed.Nest(Kernels, 0));
        Assert.That(source, Does.StartWith(" 7| for (int i = 0; i < N; i++)\n 8|   for (int j = 0; j < N; j++) {"), "numbered, common indentation removed");
        Assert.That(source, Does.EndWith("12|   }"));
    }

    [Test]
    public void Long_sources_are_cut_at_whole_lines_and_fences_are_broken()
    {
        var facts = Bed.Nest(Kernels, 1);
        var body = string.Join("\n", Enumerable.Range(0, 400).Select(i => $"  /* ``` line {i} */"));
        var input = facts with { SourceText = "for (;;) {\n" + body + "\n}" };
        var source = FactsRenderer.Source(input);
        Assert.That(source.Length, Is.LessThan(FactsRendering.Abstract.MaxSourceChars + 100));
        Assert.That(source, Does.EndWith("more lines not shown)"));
        Assert.That(source, Does.Not.Contain("```"));
    }

    [Test]
    public void Long_lists_are_capped_with_a_count()
    {
        var body = string.Join(" ", Enumerable.Range(0, 40).Select(k => $"a{k}[i] = b[i] + {k};"));
        var globals = string.Join(" ", Enumerable.Range(0, 40).Select(k => $"float a{k}[1000];"));
        var nest = Bed.Nest($"float b[1000]; {globals}\nvoid f(void) {{\n  for (int i = 0; i < 1000; i++) {{ {body} }}\n}}\n");
        var accesses = FactsRenderer.Accesses(nest, null);
        Assert.That(accesses.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(FactsRendering.Abstract.MaxAccesses + 1));
        Assert.That(accesses, Does.Contain("(+"));
    }

    [Test]
    public void Tool_views_filter_by_array_function_and_line()
    {
        var matmul = Bed.Nest(Kernels, 0);
        Assert.That(FactsRenderer.Accesses(matmul, "B"), Is.EqualTo("- line 10: B[k][j] read\n"));
        Assert.That(FactsRenderer.Dependences(matmul, 10), Is.EqualTo("- loop line 10: none carried\n"));
        Assert.That(FactsRenderer.Scalars(matmul, 10), Is.EqualTo("- loop line 10: sum reduction(+)\n"));
        Assert.That(FactsRenderer.Calls(Bed.Nest(Kernels, 2), "sqrtf"), Does.StartWith("- sqrtf (line 19): no side effects"));
    }

    /// <summary>
    /// The few-shot examples must look exactly like what the model is later shown, or a 1B model learns the wrong
    /// format. This re-renders every example's code and compares it with the prompt file.
    /// </summary>
    [TestCase(1, """
        double dot(const double *x, const double *y, int n) {
          double s = 0;
          for (int i = 0; i < n; i++)
            s += x[i] * y[i];
          return s;
        }
        """)]
    [TestCase(2, """
        void prefix(float *a, int n) {
          for (int i = 1; i < n; i++)
            a[i] = a[i - 1] + a[i];
        }
        """)]
    [TestCase(3, """
        float A[512][256], B[512][256];
        void scale(void) {
          float t;
          for (int i = 0; i < 512; i++)
            for (int j = 0; j < 256; j++) {
              t = A[i][j] * 2.0f;
              B[i][j] = t + 1.0f;
            }
        }
        """)]
    [TestCase(4, """
        #include <stdio.h>
        void show(const int *v, int n) {
          for (int i = 0; i < n; i++)
            printf("%d\n", v[i]);
        }
        """)]
    public void Few_shot_examples_match_the_renderer(int number, string code)
    {
        var nest = Bed.Nest(code + "\n");
        var examples = PromptLibrary.Embedded().Get("few-shot").Section("examples").Split("\n\nExample ");
        var example = examples[number - 1];
        var expected = "Facts:\n" + FactsRenderer.Render(nest) + "\nSource:\n" + FactsRenderer.Source(nest) + "\nAnswer:\n";
        Assert.That(example, Does.Contain(expected), $"few-shot.md example {number} is stale; the renderer now gives:\n{expected}");
    }
}
