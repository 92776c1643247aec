using System.Text;
using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Generation;

/// <summary>
/// What the rewriter writes, checked as text. Loop positions come from the real analyzer (libclang), so the tests
/// exercise the extents the pipeline really produces, including the braceless-body and macro-argument cases.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SourceRewriterTests : GenerationFixture
{
    private const string SumSource = """
        #include <stddef.h>

        double sum(const double *a, size_t n) {
            double s = 0.0;
            for (size_t i = 0; i < n; i++) {
                s += a[i];
            }
            return s;
        }

        """;

    [Test]
    public void Pragma_with_the_clauses_is_inserted_on_its_own_line_before_the_for_indented_like_it()
    {
        var path = Ws.WriteSource("sum.c", SumSource);
        var result = Ws.RewriteParallelLoops(path);

        Assert.That(result.Changed, Is.True);
        Assert.That(result.Outcomes.Single().Applied, Is.True, result.Outcomes.Single().Reason);
        var lines = result.Text.Split('\n');
        var pragma = Array.FindIndex(lines, l => l.Contains("#pragma", StringComparison.Ordinal));
        Assert.That(lines[pragma], Is.EqualTo("    #pragma omp parallel for reduction(+:s)"));
        Assert.That(lines[pragma + 1], Is.EqualTo($"#line 5 \"{path}\""), "the next line keeps its original number");
        Assert.That(lines[pragma + 2], Is.EqualTo("    for (size_t i = 0; i < n; i++) {"));
    }

    [Test]
    public void Output_starts_with_a_line_directive_naming_the_original_file_with_backslashes_and_quotes_escaped()
    {
        var path = Ws.WriteSource("first.c", SumSource);
        var edits = GenerationWorkspace.ParallelEdits(Ws.Analyze(path));
        const string windowsPath = """C:\work\my "project"\sum.c""";

        var result = SourceRewriter.Rewrite(windowsPath, SumSource, edits);

        Assert.That(result.Text, Does.StartWith("#line 1 \"C:\\\\work\\\\my \\\"project\\\"\\\\sum.c\"\n"));
        Assert.That(result.Text, Does.Contain("#line 5 \"C:\\\\work\\\\my \\\"project\\\"\\\\sum.c\"\n"));
    }

    [Test]
    public void A_file_without_edits_comes_back_byte_for_byte_unchanged()
    {
        var text = "\uFEFF// comment\r\nint x;\n\n  ";

        var none = SourceRewriter.Rewrite("/src/a.c", text, []);

        Assert.That(none.Changed, Is.False);
        Assert.That(none.Text, Is.SameAs(text));
        Assert.That(none.ReviewText, Is.SameAs(text));
    }

    [Test]
    public void A_file_whose_edits_are_all_skipped_comes_back_byte_for_byte_unchanged_without_a_line_directive()
    {
        var path = Ws.WriteSource("skipped.c", SumSource);
        var edit = GenerationWorkspace.ParallelEdits(Ws.Analyze(path)).Single();

        var result = SourceRewriter.Rewrite(path, SumSource, [edit with { StartOffset = edit.StartOffset + 1 }]);

        Assert.That(result.Changed, Is.False);
        Assert.That(result.Text, Is.SameAs(SumSource));
        Assert.That(result.Outcomes.Single().Applied, Is.False);
    }

    private const string MixedSource = """
        #include <stddef.h>

        void mixed(double *restrict out, double *dst, const double *src, int n, int c, double *total) {
            double s = 0.0;
            if (c) for (int i = 0; i < n; i++) s += src[i];
            else s = -1.0;
            for (int i = 0; i < n; i++)
                dst[i] = src[i] * 2.0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < 4; j++)
                    out[i * 4 + j] = i + j;
            *total = s;
        }

        """;

    [Test]
    public void Rewriting_the_same_input_twice_gives_the_same_bytes()
    {
        var path = Ws.WriteSource("deterministic.c", MixedSource);
        var edits = GenerationWorkspace.ParallelEdits(Ws.Analyze(path));

        var first = SourceRewriter.Rewrite(path, MixedSource, edits);
        var second = SourceRewriter.Rewrite(path, MixedSource, [.. edits.AsEnumerable().Reverse()]);

        Assert.That(first.Changed, Is.True);
        Assert.That(second.Text, Is.EqualTo(first.Text), "the order of the edits does not matter either");
    }

    [Test]
    public void Rewriting_the_output_again_with_the_same_edits_changes_nothing_because_the_pragmas_are_detected()
    {
        var path = Ws.WriteSource("idempotent.c", MixedSource);
        var edits = GenerationWorkspace.ParallelEdits(Ws.Analyze(path));
        Assert.That(edits.Select(e => e.RuntimeCheck), Has.Some.Not.Null, "one loop is versioned");
        var once = SourceRewriter.Rewrite(path, MixedSource, edits);
        Assert.That(once.Outcomes.Count(o => o.Applied), Is.EqualTo(3), string.Join("\n", once.Outcomes.Select(o => o.Reason)));

        var twice = SourceRewriter.Rewrite(path, once.Text, edits);

        Assert.That(twice.Changed, Is.False);
        Assert.That(twice.Text, Is.SameAs(once.Text));
        foreach (var (outcome, before) in twice.Outcomes.Zip(once.Outcomes))
        {
            Assert.That(outcome.Reason, before.Applied ? Does.StartWith("already has an OpenMP directive") : Does.StartWith("nested inside"),
                outcome.Edit.LoopId);
        }
    }

    [Test]
    public void Rewriting_a_reanalyzed_output_changes_nothing_not_even_the_serial_copy_of_a_versioned_loop()
    {
        var path = Ws.WriteSource("reanalyzed.c", MixedSource);
        var once = Ws.RewriteParallelLoops(path);
        var rewritten = Ws.WriteRewritten(path, once.Text);

        var reanalyzed = Ws.Analyze(rewritten);
        var edits = GenerationWorkspace.ParallelEdits(reanalyzed);
        Assert.That(edits, Is.Not.Empty, "the serial copy of the versioned loop is a parallelizable loop of the rewritten file");
        var twice = SourceRewriter.Rewrite(path, once.Text, edits);

        Assert.That(twice.Changed, Is.False, string.Join("\n", twice.Outcomes.Select(o => $"{o.Edit.LoopId}: {o.Reason}")));
        Assert.That(twice.Text, Is.SameAs(once.Text));
    }

    [Test]
    public void A_loop_that_already_has_an_OpenMP_pragma_is_skipped()
    {
        const string text = """
            void f(double *a, int n) {
            #pragma omp parallel for simd
                // the pragma above already applies
                for (int i = 0; i < n; i++) a[i] = 0.0;
            }

            """;
        var edit = HandEdit(text, text.IndexOf("for (", StringComparison.Ordinal), text.IndexOf(";\n}", StringComparison.Ordinal));

        var result = SourceRewriter.Rewrite("/src/f.c", text, [edit]);

        Assert.That(result.Changed, Is.False);
        Assert.That(result.Text, Is.SameAs(text));
        Assert.That(result.Outcomes.Single().Reason, Is.EqualTo("already has an OpenMP directive (`#pragma omp parallel for simd`)"));
    }

    [Test]
    public void A_loop_inside_an_existing_OpenMP_parallel_region_is_skipped()
    {
        const string text = """
            void f(double *a, int n) {
            #pragma omp parallel
                {
                    for (int i = 0; i < n; i++) a[i] = 0.0;
                }
            }

            """;
        var edit = HandEdit(text, text.IndexOf("for (", StringComparison.Ordinal), text.IndexOf(";\n    }", StringComparison.Ordinal));

        var result = SourceRewriter.Rewrite("/src/f.c", text, [edit]);

        Assert.That(result.Changed, Is.False);
        Assert.That(result.Outcomes.Single().Reason, Does.StartWith("nested inside a loop that is already parallel (the OpenMP directive on line 2"));
    }

    [Test]
    public void A_loop_after_another_loop_pragma_is_skipped_rather_than_separating_the_pragma_from_its_loop()
    {
        const string text = "void f(double *a, int n) {\n#pragma GCC ivdep\n  for (int i = 0; i < n; i++) a[i] = 0.0;\n}\n";
        var edit = HandEdit(text, text.IndexOf("for (", StringComparison.Ordinal), text.IndexOf(";\n}", StringComparison.Ordinal));

        var result = SourceRewriter.Rewrite("/src/f.c", text, [edit]);

        Assert.That(result.Changed, Is.False);
        Assert.That(result.Outcomes.Single().Reason, Does.StartWith("`#pragma GCC ivdep` already applies to this loop"));
    }

    [TestCase("#pragma scop")]
    [TestCase("#pragma endscop")]
    [TestCase("#pragma GCC diagnostic ignored \"-Wunused\"")]
    public void A_loop_after_a_region_marker_pragma_takes_its_directive_below_the_marker(string marker)
    {
        var text = $"void f(double *a, int n) {{\n{marker}\n  for (int i = 0; i < n; i++) a[i] = 0.0;\n}}\n";
        var edit = HandEdit(text, text.IndexOf("for (", StringComparison.Ordinal), text.IndexOf(";\n}", StringComparison.Ordinal));

        var result = SourceRewriter.Rewrite("/src/f.c", text, [edit]);

        Assert.That(result.Changed, Is.True, result.Outcomes.Single().Reason);
        Assert.That(result.ReviewText, Does.Contain($"{marker}\n  #pragma omp parallel for\n  for (int i"), "the marker stays where it was, the directive on the loop");
    }

    [Test]
    public void A_loop_pragma_above_a_region_marker_still_applies_to_the_loop()
    {
        const string text = "void f(double *a, int n) {\n#pragma GCC ivdep\n#pragma scop\n  for (int i = 0; i < n; i++) a[i] = 0.0;\n}\n";
        var edit = HandEdit(text, text.IndexOf("for (", StringComparison.Ordinal), text.IndexOf(";\n}", StringComparison.Ordinal));

        var result = SourceRewriter.Rewrite("/src/f.c", text, [edit]);

        Assert.That(result.Changed, Is.False);
        Assert.That(result.Outcomes.Single().Reason, Does.StartWith("`#pragma GCC ivdep` already applies to this loop"));
    }

    [Test]
    public void A_loop_generated_by_a_macro_is_skipped()
    {
        const string text = """
            #define ZERO_ALL(a, n) for (int i_ = 0; i_ < (n); i_++) (a)[i_] = 0.0

            void f(double *a, int n) {
                ZERO_ALL(a, n);
            }

            """;
        // libclang reports a macro-generated loop at the macro call (its expansion location).
        var call = text.IndexOf("ZERO_ALL(a, n);", StringComparison.Ordinal);
        var edit = HandEdit(text, call, call + "ZERO_ALL(a, n)".Length);

        var result = SourceRewriter.Rewrite("/src/f.c", text, [edit]);

        Assert.That(result.Changed, Is.False);
        Assert.That(result.Text, Is.SameAs(text));
        Assert.That(result.Outcomes.Single().Reason, Does.Contain("is not the `for` keyword: the loop comes from a macro expansion"));
    }

    [Test]
    public void A_loop_in_a_braceless_if_is_wrapped_in_braces_and_keeps_its_column()
    {
        const string text = """
            double f(const double *a, int n, int c) {
                double s = 0.0;
                if (c) for (int i = 0; i < n; i++) s += a[i]; // tail comment
                else s = -1.0;
                return s;
            }

            """;
        var path = Ws.WriteSource("braceless_if.c", text);

        var result = Ws.RewriteParallelLoops(path);

        Assert.That(result.Outcomes.Single().Applied, Is.True, result.Outcomes.Single().Reason);
        Assert.That(result.Outcomes.Single().Reason, Does.Contain("wrapped in braces"));
        var pad = new string(' ', "    if (c) ".Length);
        Assert.That(result.Text, Does.Contain(
            "    if (c) {\n" +
            $"#line 3 \"{path}\"\n" +
            "    #pragma omp parallel for reduction(+:s)\n" +
            $"#line 3 \"{path}\"\n" +
            pad + "for (int i = 0; i < n; i++) s += a[i]; } // tail comment\n" +
            "    else s = -1.0;\n"));
    }

    [TestCase("if (k > 0)\n        ", "    if (k > 0)\n        {\n        #pragma omp parallel for\n        for (",
        TestName = "A_loop_on_the_line_after_a_braceless_if_is_wrapped_in_braces")]
    [TestCase("while (k-- > 0) ", "    while (k-- > 0) {\n    #pragma omp parallel for\n                    for (",
        TestName = "A_loop_in_a_braceless_while_is_wrapped_in_braces")]
    [TestCase("if (k > 0) a[0] = 1.0; else ", "    if (k > 0) a[0] = 1.0; else {\n    #pragma omp parallel for\n" + "                                for (",
        TestName = "A_loop_in_a_braceless_else_is_wrapped_in_braces")]
    [TestCase("switch (k) case 1: ", "    switch (k) case 1: {\n    #pragma omp parallel for\n                       for (",
        TestName = "A_loop_after_a_case_label_is_wrapped_in_braces")]
    public void A_loop_that_is_the_body_of_a_statement_without_braces_is_wrapped_in_braces(string before, string expected)
    {
        var text = $$"""
            void f(double *a, int n, int k) {
                {{before}}for (int i = 0; i < n; i++) a[i] = 2.0 * a[i];
            }

            """;
        var path = Ws.WriteSource($"{TestContext.CurrentContext.Test.Name}.c", text);

        var result = Ws.RewriteParallelLoops(path);

        Assert.That(result.Outcomes.Single().Applied, Is.True, result.Outcomes.Single().Reason);
        Assert.That(result.ReviewText, Does.Contain(expected));
        Assert.That(result.ReviewText, Does.Contain("a[i] = 2.0 * a[i]; }\n}\n"));
        AssertCompiles(path, result.Text);
    }

    [Test]
    public void Only_the_outermost_of_nested_edits_is_applied()
    {
        const string text = """
            void f(double *a, int n, int m) {
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < m; j++)
                        a[i * m + j] = i + j;
            }

            """;
        var path = Ws.WriteSource("nested.c", text);
        var edits = GenerationWorkspace.ParallelEdits(Ws.Analyze(path));
        Assert.That(edits, Has.Count.EqualTo(2));

        var result = SourceRewriter.Rewrite(path, text, [edits[1], edits[0], edits[0]]);

        Assert.That(result.Outcomes[0].Reason, Is.EqualTo($"nested inside a loop that is already parallel ({edits[0].LoopId})"));
        Assert.That(result.Outcomes[1].Applied, Is.True);
        Assert.That(result.Outcomes[2].Reason, Does.StartWith("another edit for the same loop"));
        Assert.That(result.ReviewText.Split('\n').Count(l => l.Contains("#pragma", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public void A_CRLF_file_keeps_CRLF_in_every_line_including_the_inserted_ones()
    {
        var text = MixedSource.Replace("\n", "\r\n", StringComparison.Ordinal);
        var path = Ws.WriteSource("crlf.c", text);

        var result = Ws.RewriteParallelLoops(path);

        Assert.That(result.Outcomes.Count(o => o.Applied), Is.EqualTo(3));
        Assert.That(result.Text.Replace("\r\n", string.Empty, StringComparison.Ordinal), Does.Not.Contain("\n").And.Not.Contain("\r"));
        AssertCompiles(path, result.Text);
    }

    [Test]
    public void Versioning_copies_the_whole_statement_when_libclang_ends_the_extent_before_the_semicolon_or_at_a_macro_argument()
    {
        const string text = """
            #define ID(x) x
            void f(double *dst, const double *src, int n) {
                for (int i = 0; i < n; i++) dst[i] = src[i] + 1.0;
                for (int i = 0; i < n; i++) dst[i] = ID(src[i]);
                for (int i = 0; i < n; i++) { dst[i] = ID(src[i]); }
            }

            """;
        var path = Ws.WriteSource("extents.c", text);
        var analysis = Ws.Analyze(path);
        Assert.That(analysis.Loops.Select(l => text[l.EndOffset - 1]), Is.EqualTo(new[] { '0', ' ', '}' }),
            "libclang's extent: before the `;`, at the start of a macro call whose argument is last, after the `}`");

        var result = SourceRewriter.Rewrite(path, text,
            analysis.Loops.Select(l => LoopEdit.ForLoop(l, "omp parallel for", "dst + n <= src || src + n <= dst")).ToList());

        Assert.That(result.Outcomes.All(o => o.Applied), string.Join("\n", result.Outcomes.Select(o => o.Reason)));
        Assert.That(result.ReviewText, Does.Contain("""
                } else {
                for (int i = 0; i < n; i++) dst[i] = ID(src[i]); }
                if (dst + n <= src || src + n <= dst) {
            """));
        Assert.That(result.ReviewText, Does.Contain("    for (int i = 0; i < n; i++) { dst[i] = ID(src[i]); } }\n}\n"));
        AssertCompiles(path, result.Text);
    }

    [Test]
    public void Braces_and_semicolons_in_comments_strings_raw_strings_and_literals_do_not_end_the_statement()
    {
        const string text = """
            #include <cstddef>
            #include <cstring>
            void f(double *dst, const double *src, std::size_t n) {
                for (std::size_t i = 0; i < n; i++)   // a comment with } and ;
                    dst[i] = src[i] * 1'000 /* } ; */ + std::strlen(R"raw(};"{)raw") + ('}' == ';') + sizeof("};");
                dst[0] = 0.0;
            }

            """;
        var path = Ws.WriteSource("literals.cpp", text);
        var loop = Ws.Analyze(path).Loops.Single();

        var result = SourceRewriter.Rewrite(path, text, [LoopEdit.ForLoop(loop, "omp parallel for", "dst + n <= src || src + n <= dst")]);

        Assert.That(result.Outcomes.Single().Applied, result.Outcomes.Single().Reason);
        Assert.That(result.ReviewText, Does.Contain("""+ sizeof("};"); }""" + "\n    dst[0] = 0.0;\n"));
        var gxx = GenerationWorkspace.RequireTool("g++");
        var rewritten = Ws.WriteRewritten(path, result.Text);
        var run = GenerationWorkspace.Run(gxx, ["-std=c++17", "-fopenmp", "-Wall", "-Werror", "-fsyntax-only", rewritten]);
        Assert.That(run.ExitCode, Is.Zero, run.Output);
    }

    [Test]
    public void A_loop_after_a_Pragma_operator_for_OpenMP_is_skipped()
    {
        const string text = "void f(double *a, int n) {\n  _Pragma(\"omp parallel for\") for (int i = 0; i < n; i++) a[i] = 0.0;\n}\n";
        var edit = HandEdit(text, text.IndexOf("for (", StringComparison.Ordinal), text.IndexOf(";\n}", StringComparison.Ordinal));

        var result = SourceRewriter.Rewrite("/src/f.c", text, [edit]);

        Assert.That(result.Changed, Is.False);
        Assert.That(result.Outcomes.Single().Reason, Does.StartWith("already has an OpenMP directive"));
    }

    [Test]
    public void Versioning_is_skipped_when_a_macro_hides_the_end_of_the_statement_but_a_plain_pragma_is_still_inserted()
    {
        const string text = """
            #define END ;
            void f(double *dst, int n) {
                for (int i = 0; i < n; i++) dst[i] = 1.0 END
                dst[0] = 2.0;
            }

            """;
        var path = Ws.WriteSource("hidden_end.c", text);
        var loop = Ws.Analyze(path).Loops.Single();

        var versioned = SourceRewriter.Rewrite(path, text, [LoopEdit.ForLoop(loop, "omp parallel for", "n > 100")]);
        var plain = SourceRewriter.Rewrite(path, text, [LoopEdit.ForLoop(loop, "omp parallel for")]);

        Assert.That(versioned.Changed, Is.False);
        Assert.That(versioned.Outcomes.Single().Reason, Does.StartWith("cannot tell where the loop statement ends"));
        Assert.That(plain.Outcomes.Single().Applied, Is.True);
    }

    [Test]
    public void Versioning_is_skipped_when_the_loop_body_has_a_label()
    {
        const string text = """
            void f(double *dst, const double *src, int n) {
                for (int i = 0; i < n; i++) {
                    if (src[i] < 0) goto skip;
                    dst[i] = src[i];
                skip:
                    ;
                }
            }

            """;
        var path = Ws.WriteSource("label.c", text);
        var loop = Ws.Analyze(path).Loops.Single();

        var result = SourceRewriter.Rewrite(path, text, [LoopEdit.ForLoop(loop, "omp parallel for", "dst + n <= src || src + n <= dst")]);

        Assert.That(result.Changed, Is.False);
        Assert.That(result.Outcomes.Single().Reason, Does.StartWith("the loop body contains the label `skip`"));
    }

    [Test]
    public void Two_loops_on_one_line_both_get_a_pragma_and_keep_their_columns()
    {
        const string text = "void f(double *a, double *b, int n) {\n  for (int i = 0; i < n; i++) a[i] = 1.0; for (int i = 0; i < n; i++) b[i] = 2.0;\n}\n";
        var path = Ws.WriteSource("one_line.c", text);

        var result = Ws.RewriteParallelLoops(path);

        Assert.That(result.Outcomes.All(o => o.Applied));
        var pad = new string(' ', "  for (int i = 0; i < n; i++) a[i] = 1.0; ".Length);
        Assert.That(result.ReviewText, Is.EqualTo(
            "void f(double *a, double *b, int n) {\n" +
            "  #pragma omp parallel for\n" +
            "  for (int i = 0; i < n; i++) a[i] = 1.0;\n" +
            "  #pragma omp parallel for\n" +
            pad + "for (int i = 0; i < n; i++) b[i] = 2.0;\n" +
            "}\n"));
        AssertCompiles(path, result.Text);
    }

    [Test]
    public void Byte_offsets_are_honoured_after_non_ASCII_text_and_a_byte_order_mark()
    {
        var text = "\uFEFF/* größe → 😀 */ void f(double *a, int n) {\n  /* ä */ for (int i = 0; i < n; i++) a[i] = 0.0;\n}\n";
        var path = Path.Combine(Ws.SourceDir, "unicode.c");
        File.WriteAllText(path, text, new UTF8Encoding(false)); // the BOM is in the text itself
        var loop = Ws.Analyze(path).Loops.Single();

        var withBom = SourceRewriter.Rewrite(path, text, [LoopEdit.ForLoop(loop, "omp parallel for", "n > 1")]);
        var withoutBom = SourceRewriter.Rewrite(path, text[1..], [LoopEdit.ForLoop(loop, "omp parallel for", "n > 1")]);

        Assert.That(withBom.Outcomes.Single().Applied, withBom.Outcomes.Single().Reason);
        Assert.That(withBom.Text, Does.StartWith($"\uFEFF#line 1 \"{path}\"\n"), "the byte order mark stays first");
        Assert.That(withBom.ReviewText, Does.Contain("  /* ä */ if (n > 1) {\n  #pragma omp parallel for\n"));
        Assert.That(withoutBom.Outcomes.Single().Applied, "a text read without its byte order mark still matches libclang's offsets");
        Assert.That(withoutBom.Text, Is.EqualTo(withBom.Text[1..]));
    }

    [Test]
    public void Inserted_line_directives_restore_the_files_own_line_mapping()
    {
        const string text = "#line 100 \"gram.y\"\nvoid f(double *a, int n) {\n  for (int i = 0; i < n; i++) a[i] = 0.0;\n}\n";
        var path = Ws.WriteSource("generated.c", text);

        var result = Ws.RewriteParallelLoops(path);

        Assert.That(result.Text, Does.Contain("  #pragma omp parallel for\n#line 101 \"gram.y\"\n  for ("));
        Assert.That(result.ReviewText, Does.StartWith("#line 100 \"gram.y\"\n"), "the file's own directives stay in the reviewable text");
    }

    private static void AssertCompiles(string originalPath, string rewritten)
    {
        var gcc = GenerationWorkspace.RequireTool("gcc");
        var file = Path.Combine(Path.GetDirectoryName(originalPath)!, "..", "obj", Path.GetFileName(originalPath));
        File.WriteAllText(file, rewritten);
        var run = GenerationWorkspace.Run(gcc, ["-std=c11", "-fopenmp", "-Wall", "-Werror", "-Wno-unused-variable", "-fsyntax-only", file]);
        Assert.That(run.ExitCode, Is.Zero, run.Output);
    }

    /// <summary>An edit for the text at <paramref name="start"/> as libclang would report it (UTF-8 byte positions).</summary>
    private static LoopEdit HandEdit(string text, int start, int end, string? check = null)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(0, start - 1)) + 1;
        var line = text[..start].Count(c => c == '\n') + 1;
        var column = Encoding.UTF8.GetByteCount(text.AsSpan(lineStart, start - lineStart)) + 1;
        return new LoopEdit(line, column, Encoding.UTF8.GetByteCount(text.AsSpan(0, start)), Encoding.UTF8.GetByteCount(text.AsSpan(0, end)),
            "omp parallel for", check, $"f.c:{line}:{column}");
    }
}
