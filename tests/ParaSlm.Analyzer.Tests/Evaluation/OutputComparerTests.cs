using System.Text.RegularExpressions;
using ParaSlm.Evaluation;
using ParaSlm.Evaluation.Projects;

namespace ParaSlm.Analyzer.Tests.Evaluation;

/// <summary>How a project suite's outputs are compared with the reference run's, and how its times are read.</summary>
[TestFixture]
public sealed class OutputComparerTests
{
    private static readonly CompareRule Numbers = new(["stdout"], [], true, 0, []);
    private static readonly CompareRule Exact = CompareRule.Default;

    [TestCase("0.25 1.00", "0.25 1.00")]
    [TestCase("x = 3.14", "x = 3.15")]          // one unit in the last printed digit: neighbouring roundings of close values
    [TestCase("-0.00 7", "0.00 7")]
    [TestCase("1.2345e+05", "1.2346e+05")]      // the unit of a mantissa with 4 decimals and exponent 5 is 10
    [TestCase("a:  1.50\n", "a:   1.50 \n")]     // printf widths move with the value: whitespace is not compared
    public void Numbers_equal_at_their_printed_precision_agree(string reference, string actual)
    {
        Assert.That(OutputComparer.Difference(reference, actual, Numbers), Is.Null);
    }

    [TestCase("x = 3.14", "x = 3.16", "number 1 (line 1) is 3.16, the reference has 3.14 (printed precision 0.01)")]
    [TestCase("count 41", "count 42", "number 1 (line 1) is 42, the reference has 41 (integers must be equal)")]
    [TestCase("1.2345e+05", "1.2348e+05", "number 1 (line 1) is 1.2348e+05")]
    [TestCase("a 1.00\nb 2.00\n", "a 1.00\nc 2.00\n", "the text differs near line 2")]
    [TestCase("1.00 2.00", "1.00", "fewer numbers than the reference (1 in common)")]
    [TestCase("begin\n1.00\n2.00 3.00\n4.00", "begin\n1.00\n2.00 3.00\n4.03", "number 4 (line 4) is 4.03")]
    public void A_differing_output_is_reported_as_differing_with_where(string reference, string actual, string expected)
    {
        Assert.That(OutputComparer.Difference(reference, actual, Numbers), Does.Contain(expected));
    }

    [Test]
    public void A_relative_tolerance_accepts_more_than_the_printed_precision()
    {
        var rule = Numbers with { Tolerance = 1e-3 };
        Assert.That(OutputComparer.Difference("1000.00", "1000.50", rule), Is.Null);
        Assert.That(OutputComparer.Difference("1000.00", "1002.00", rule), Does.Contain("1002.00"));
    }

    [Test]
    public void Exact_mode_compares_the_text_and_names_the_first_differing_line()
    {
        Assert.That(OutputComparer.Difference("a 1.00\nb 2.00\n", "a 1.00\nb 2.00\n", Exact), Is.Null);
        Assert.That(OutputComparer.Difference("a 1.00\r\nb 2.00\n", "a 1.00\nb 2.00\n", Exact), Is.Null, "CR LF is LF");
        Assert.That(OutputComparer.Difference("a 1.00\nb 2.00\n", "a 1.00\nb 2.01\n", Exact), Is.EqualTo("line 2 differs: 'b 2.00' vs 'b 2.01'"));
    }

    [Test]
    public void Ignored_lines_are_left_out_before_comparing()
    {
        var rule = Exact with { Ignore = [new Regex("^elapsed")] };
        Assert.That(OutputComparer.Difference("r 1\nelapsed 0.5 s\n", "r 1\nelapsed 0.7 s\n", rule), Is.Null);
        Assert.That(OutputComparer.Difference("r 1\nelapsed 0.5 s\n", "r 2\nelapsed 0.5 s\n", rule), Does.Contain("line 1"));
    }

    [TestCase("3.14", 0.01)]
    [TestCase("3", 1.0)]
    [TestCase("2.5e-3", 1e-4)]
    [TestCase("1.000E+02", 0.1)]
    public void The_unit_of_a_printed_number_is_one_in_its_last_digit(string number, double unit) =>
        Assert.That(OutputComparer.Unit(number), Is.EqualTo(unit).Within(1e-12 * unit));

    private static ProcessResult Result(string stdout, string stderr = "", double seconds = 1.25) => new(0, stdout, stderr, TimeSpan.FromSeconds(seconds), false);

    [Test]
    public void The_time_is_the_regex_group_scaled_by_its_unit_or_the_wall_time()
    {
        var ms = new TimeRule(new Regex(@"kernel: (?<time>[0-9.]+) ms", RegexOptions.Multiline), "stdout", 1e-3, "ms");
        Assert.That(ProgramRunner.ReadTime(ms, Result("setup 3 ms\nkernel: 250.0 ms\n")).Seconds, Is.EqualTo(0.25).Within(1e-12));
        var group1 = new TimeRule(new Regex(@"^\s*([0-9.]+)\s*$", RegexOptions.Multiline), "stderr", 1, "s");
        Assert.That(ProgramRunner.ReadTime(group1, Result("x 9\n", "0.500000\n")).Seconds, Is.EqualTo(0.5));
        Assert.That(ProgramRunner.ReadTime(TimeRule.Wall, Result("anything")).Seconds, Is.EqualTo(1.25));
    }

    [Test]
    public void A_time_regex_that_finds_nothing_fails_the_run_with_what_the_program_printed()
    {
        var rule = new TimeRule(new Regex(@"kernel: ([0-9.]+)"), "stdout", 1, "s");
        var (_, failure) = ProgramRunner.ReadTime(rule, Result("total: 3.0\n"));
        Assert.That(failure, Is.EqualTo("no time: /kernel: ([0-9.]+)/ matched nothing in stdout (first line: total: 3.0)"));
    }

    [Test]
    public void Every_build_gets_the_suite_settings_and_only_its_own_flags_in_the_initial_cache()
    {
        var config = new SuiteConfig("f", null, "/src", null, [new CacheEntry("SIZE", "STRING", "a \"b\" $c;d")], "-DTIMING", "", []);
        var builder = new ProjectBuilder(config, new EvaluationOptions { Suite = "/src", Out = "/out" }, "/out", _ => { });
        var script = builder.InitialCache(new Compiler("gcc", "/usr/bin/gcc", "/usr/bin/g++", "12", null), ["-ftree-parallelize-loops=2"]);
        Assert.That(script, Does.Contain("set(CMAKE_C_COMPILER \"/usr/bin/gcc\" CACHE FILEPATH \"\")"));
        Assert.That(script, Does.Contain("set(CMAKE_C_FLAGS \"-DTIMING -ftree-parallelize-loops=2\" CACHE STRING \"\")"));
        Assert.That(script, Does.Contain("set(CMAKE_CXX_FLAGS \"-ftree-parallelize-loops=2\" CACHE STRING \"\")"));
        Assert.That(script, Does.Contain("set(SIZE \"a \\\"b\\\" \\$c;d\" CACHE STRING \"\")"), "taken literally by CMake");
    }
}
