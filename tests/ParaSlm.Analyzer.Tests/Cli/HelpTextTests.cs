using ParaSlm.Cli;

namespace ParaSlm.Analyzer.Tests.Cli;

/// <summary>`paraslm --help`: what a user reads before trying a flag.</summary>
[TestFixture]
public sealed class HelpTextTests
{
    [Test]
    public void Help_lists_the_evaluate_options_that_pick_builds_and_kernels()
    {
        var output = new StringWriter();
        var code = CommandLine.RunAsync(["--help"], output, new StringWriter()).GetAwaiter().GetResult();

        Assert.That(code, Is.EqualTo(CommandLine.Ok));
        var evaluateLine = output.ToString().Split('\n').Single(l => l.TrimStart().StartsWith("evaluate ", StringComparison.Ordinal));
        Assert.That(evaluateLine, Does.Contain("--kernels").And.Contain("--variants").And.Contain("--suite-config"));
    }
}
