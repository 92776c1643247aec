using ParaSlm.Validation;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>ParaSlmValidateTestCommand's placeholders: each names something real, or validation stops with PSLM5007.</summary>
[TestFixture]
[Category("Unit")]
public sealed class TestCommandPlaceholderTests
{
    private static readonly string Tree = Path.Combine(Path.GetTempPath(), "tree");
    private static readonly (string, string)[] Two = [("bench", "tools/bench"), ("fft", "fft")];

    private static string Script(TestCase t) => t.Arguments[^1];

    [Test]
    public void Exe_is_the_program_of_a_vcxproj_and_build_its_folder()
    {
        var t = TestDiscovery.Command("{exe} -s 10 > {build}/out.txt", Tree, "/x/bin/app");
        Assert.That(Script(t), Is.EqualTo($"/x/bin/app -s 10 > {Tree}/out.txt"));
        Assert.That(t.IsShellCommand, Is.True);
        Assert.That(t.WorkingDirectory, Is.EqualTo(Tree));
    }

    [Test]
    public void Exe_is_the_only_executable_of_a_cmake_tree()
    {
        var t = TestDiscovery.Command("{exe} -s 10", Tree, null, [("app", "sub/app")]);
        Assert.That(Script(t), Is.EqualTo(Path.Combine(Tree, "sub", "app") + " -s 10"));
    }

    [Test]
    public void Exe_with_a_target_name_picks_that_executable_and_source_is_the_source_folder()
    {
        var t = TestDiscovery.Command("{exe:bench} {source}/data.bin && {exe:fft}", Tree, null, Two, "/src");
        Assert.That(Script(t), Is.EqualTo($"{Path.Combine(Tree, "tools", "bench")} /src/data.bin && {Path.Combine(Tree, "fft")}"));
    }

    [Test]
    public void Exe_in_a_project_with_several_executables_is_an_error_that_lists_them()
    {
        var e = Assert.Throws<ValidationException>(() => TestDiscovery.Command("{exe} -s 10", Tree, null, Two));
        Assert.That(e!.Code, Is.EqualTo("PSLM5007"));
        Assert.That(e.Message, Does.Contain("bench, fft").And.Contain("{exe:TARGET}"));
    }

    [Test]
    public void Exe_with_no_program_to_put_there_is_an_error_and_never_an_empty_string()
    {
        var e = Assert.Throws<ValidationException>(() => TestDiscovery.Command("{exe} -s 10 -i 40", Tree, null, []));
        Assert.That(e!.Code, Is.EqualTo("PSLM5007"));
        var unknown = Assert.Throws<ValidationException>(() => TestDiscovery.Command("{exe:nope}", Tree, null, Two));
        Assert.That(unknown!.Message, Does.Contain("no executable target 'nope'").And.Contain("bench, fft"));
        Assert.Throws<ValidationException>(() => TestDiscovery.Command("cd {source}", Tree, "/x/app"), "a .vcxproj has no {source}");
    }

    [Test]
    public void Shell_variables_and_other_braces_are_left_alone()
    {
        var t = TestDiscovery.Command("echo ${build} {other} $PARASLM_BUILD_DIR", Tree, null, Two);
        Assert.That(Script(t), Is.EqualTo("echo ${build} {other} $PARASLM_BUILD_DIR"));
    }
}
