using ParaSlm.Analyzer.Facts;
using ParaSlm.Cli;
using ParaSlm.Tests.Shared;

namespace ParaSlm.Analyzer.Tests.Cli;

/// <summary>`paraslm bench-analyze`: the measuring loop lives in the analyzer (<see cref="AnalysisBenchmark"/>), the CLI only parses and prints.</summary>
[TestFixture]
[Category("Integration")]
public sealed class BenchAnalyzeTests : TempFolderFixture
{
    [SetUp]
    public void WriteSources()
    {
        Directory.CreateDirectory(Path.Combine(Dir, "sub"));
        File.WriteAllText(Path.Combine(Dir, "two.c"), "void f(double *restrict a, int n) {\n  for (int i = 0; i < n; i++) a[i] = 1.0;\n  for (int i = 1; i < n; i++) a[i] += a[i - 1];\n}\n");
        File.WriteAllText(Path.Combine(Dir, "sub", "one.cpp"), "void g(int *__restrict b, int n) { for (int i = 0; i < n; i++) b[i] = i; }\n");
        File.WriteAllText(Path.Combine(Dir, "bad_broken.c"), "void h( { for (;;\n");
        File.WriteAllText(Path.Combine(Dir, "notes.txt"), "not a source");
    }

    [Test]
    public void A_folder_is_expanded_to_its_C_and_Cpp_files_leaving_out_the_deliberately_broken_ones()
    {
        var files = AnalysisBenchmark.FilesUnder([Dir]);
        Assert.That(files.Select(Path.GetFileName), Is.EqualTo(new[] { "one.cpp", "two.c" }));
    }

    [Test]
    public void Every_file_is_measured_with_its_loop_count_and_a_file_that_does_not_parse_is_reported_as_skipped()
    {
        var broken = Path.Combine(Dir, "broken.c");
        File.WriteAllText(broken, "void h( { for (;;\n");
        using var analyzer = new SourceAnalyzer(new AnalyzerOptions());
        var seen = new List<string>();
        var result = AnalysisBenchmark.Run(analyzer, [Path.Combine(Dir, "two.c"), broken], [], repeats: 2, f => seen.Add(Path.GetFileName(f.File)));
        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo(new[] { "two.c", "broken.c" }), "each file is handed over as soon as it is measured");
            Assert.That(result.Files[0].Loops, Is.EqualTo(2));
            Assert.That(result.Files[0].Skipped, Is.Null);
            Assert.That(result.Files[1].Skipped, Is.Not.Null.And.Not.Empty);
            Assert.That(result.Measured, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void The_command_prints_a_line_per_file_and_the_summary_and_an_empty_folder_is_an_input_error()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CommandLine.RunAsync(["bench-analyze", Dir, "--repeat", "1"], output, error).GetAwaiter().GetResult();
        Assert.That(code, Is.EqualTo(CommandLine.Ok), error.ToString());
        Assert.That(output.ToString(), Does.Contain("two.c").And.Contain("one.cpp").And.Contain("files: 2, loops: 3, repeats: 1"));

        var empty = Path.Combine(Dir, "empty");
        Directory.CreateDirectory(empty);
        Assert.That(CommandLine.RunAsync(["bench-analyze", empty], new StringWriter(), error).GetAwaiter().GetResult(), Is.EqualTo(CommandLine.InputError));
        Assert.That(CommandLine.RunAsync(["bench-analyze", Dir, "--repeat", "0"], new StringWriter(), error).GetAwaiter().GetResult(), Is.EqualTo(CommandLine.UsageError));
    }
}
