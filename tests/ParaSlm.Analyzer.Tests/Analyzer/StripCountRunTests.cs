using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// The strip-count rule end to end on our fixture (tests/corpus/c/strip_count.c, issue 14): the 256-column nest runs in four
/// strips of 64 floats starting on lines, the 2,048-column nest in strips of 512, the line-wide and the cache-resident
/// 256×256 nests as written; on 4 threads the program prints what the serial one prints, with gcc and clang.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class StripCountRunTests : GenerationFixture
{
    private static string Corpus => File.ReadAllText(Path.Combine(ParaSlm.Analyzer.Tests.Corpus.CorpusFiles.RepositoryRoot, "tests", "corpus", "c", "strip_count.c"));

    private static string Program => "#include <stdio.h>\n" + Corpus + """

        volatile int sunk;
        void sink(void) { sunk++; }

        int main(void) {
            for (int j = 0; j < ROWS; j++) for (int i = 0; i < COLS; i++) { tall_a[j][i] = (i % 4) / 3.0f; tall_b[j][i] = ((i * 3 + j) % 29) / 31.0f; }
            for (int j = 0; j < COLS; j++) for (int i = 0; i < WIDE; i++) { wide_a[j][i] = (i % 5) / 3.0f; wide_b[j][i] = ((i + j * 7) % 23) / 29.0f; }
            for (int j = 0; j < ROWS * 4; j++) for (int i = 0; i < FEW; i++) { few_a[j][i] = i / 3.0f; few_b[j][i] = (j % 13) / 17.0f; }
            for (int j = 0; j < COLS; j++) for (int i = 0; i < COLS; i++) { sq_a[j][i] = (i % 3) / 7.0f; sq_b[j][i] = ((i * j) % 11) / 13.0f; }
            tall(3);
            wide(2);
            few(2);
            square(2);
            for (int j = 0; j < ROWS; j += 37) for (int i = 0; i < COLS; i++) printf("%a\n", tall_a[j][i]);
            for (int j = 0; j < COLS; j += 5) for (int i = 0; i < WIDE; i += 3) printf("%a\n", wide_a[j][i]);
            for (int j = 0; j < ROWS * 4; j += 301) for (int i = 0; i < FEW; i++) printf("%a\n", few_a[j][i]);
            for (int j = 0; j < COLS; j += 7) for (int i = 0; i < COLS; i++) printf("%a\n", sq_a[j][i]);
            return 0;
        }

        """;

    [Test]
    public void The_generated_text_cuts_256_columns_into_four_strips_of_64_starting_on_lines_and_keeps_512_over_2048()
    {
        var path = Ws.WriteSource("text.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        var text = result.Text;
        Assert.Multiple(() =>
        {
            Assert.That(Applied(result, "(interchange(j,i; strips 64))"), Is.EqualTo(1), text);
            Assert.That(Applied(result, "(interchange(j,i; strips 512))"), Is.EqualTo(1), text);
            Assert.That(text, Does.Contain("for (long long paraslm_sa_i = ((0) & ~15LL); paraslm_sa_i < (COLS); paraslm_sa_i += 64) {"));
            Assert.That(text, Does.Contain("for (long long paraslm_sa_i = ((0) & ~15LL); paraslm_sa_i < (WIDE); paraslm_sa_i += 512) {"));
            Assert.That(text, Does.Not.Contain("< (FEW); paraslm_sa_i"), "the line-wide nest stays as written");
            Assert.That(Applied(result, "(interchange("), Is.EqualTo(2), "only the tall and the wide nests are interchanged");
        });
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_narrowed_strips_print_on_4_threads_exactly_what_the_serial_program_prints(string compiler) =>
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, "-std=c11", compiler + "_strip_count.c", Program, path => Ws.RewritePlannedLoops(path),
            result => Assert.That(Applied(result, "(interchange(j,i; strips 64))"), Is.EqualTo(1), result.Text), "-O2");
}
