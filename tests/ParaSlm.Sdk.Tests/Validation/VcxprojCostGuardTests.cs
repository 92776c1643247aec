using System.Text.RegularExpressions;
using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.Validation;

/// <summary>
/// The .vcxproj ASan variant defines PARASLM_COST_GUARD=0, as the CMake variants do: Fixtures/ValidateVcx rewritten so that
/// the loop behind a false ParaSlmAssumePure (thread_tag() answers which thread calls it) has a run-time trip count and a
/// test input of 64 items, far below what its run-time size test asks before going parallel. Under the guard the variant
/// would run it on one thread and pass; without it the loop runs on several threads, the output differs, and the loop is
/// reverted.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.None)]
public sealed class VcxprojCostGuardTests
{
    private SdkWorkspace _workspace = null!;
    private string _dir = null!;
    private ProcessResult _build = null!;

    private string Main => Path.Combine(_dir, "src", "main.c");

    [OneTimeSetUp]
    public void Build()
    {
        _workspace = SdkWorkspace.Shared;
        _dir = _workspace.Copy(Path.Combine(_workspace.Fixtures, "ValidateVcx"), "vcx-cost-guard");
        File.WriteAllText(Main, """
            #include <stdio.h>
            #include <stdlib.h>

            long thread_tag(void);

            int main(int argc, char **argv)
            {
                /* A test's small input: the size is known only at run time. */
                int n = argc > 1 ? atoi(argv[1]) : 64;
                long *tag = malloc(sizeof(long) * n);
                for (int i = 0; i < n; i++)
                    tag[i] = thread_tag();
                int several = 0;
                for (int i = 1; i < n; i++)
                    if (tag[i] != tag[0])
                        several = 1;
                printf("items: %d\nmore than one thread: %s\n", n, several ? "yes" : "no");
                free(tag);
                return 0;
            }
            """);
        File.WriteAllText(Path.Combine(_dir, "src", "ids.c"), """
            #include <pthread.h>

            /* Not pure: the answer depends on the calling thread. ParaSlmAssumePure=thread_tag is a false assertion. */
            long thread_tag(void)
            {
                return (long)pthread_self();
            }
            """);
        _build = _workspace.Build(_dir, "Validate.vcxproj", "-p:VCTargetsPath=" + Path.Combine(_workspace.Fixtures, "VcxStandIn") + "/",
            "-p:PlatformToolset=WSL_1_0", "-p:ParaSlmValidate=asan", "-p:ParaSlmAssumePure=thread_tag", "-v:n").ShouldSucceed();
    }

    [Test]
    public void The_loop_carries_a_run_time_size_test_that_the_small_input_does_not_pass()
    {
        // The program the build leaves has the loop reverted; the variant's copy shows what was validated.
        var copies = Directory.EnumerateFiles(Path.Combine(_dir, "x64", "Debug", "paraslm"), "*.c", SearchOption.AllDirectories)
            .Select(File.ReadAllText).Where(t => t.Contains("thread_tag()", StringComparison.Ordinal)).ToList();
        var guard = copies.Select(t => Regex.Match(t, @"if ?\(!PARASLM_COST_GUARD \|\| .*>= (?<k>\d+)\)")).FirstOrDefault(m => m.Success);
        Assert.That(guard, Is.Not.Null, "the premise of this test: the loop is guarded by its run-time size");
        Assert.That(int.Parse(guard!.Groups["k"].Value), Is.GreaterThan(64));
    }

    [Test]
    public void The_asan_variant_is_compiled_with_the_guard_off_and_the_normal_program_is_not()
    {
        var compiles = _build.Output.Split('\n').Where(l => l.Contains(" -c -x c ", StringComparison.Ordinal) && l.Contains("main", StringComparison.Ordinal)).ToList();
        var asan = compiles.Where(l => l.Contains("-fsanitize=address", StringComparison.Ordinal)).ToList();
        Assert.That(asan, Is.Not.Empty.And.All.Contain("-D\"PARASLM_COST_GUARD=0\""), ProcessResult.Tail(_build.Output));
        Assert.That(compiles.Where(l => !l.Contains("-fsanitize", StringComparison.Ordinal)), Is.Not.Empty.And.All.Not.Contain("PARASLM_COST_GUARD"));
    }

    [Test]
    public void The_false_assertion_is_caught_on_the_small_input_and_its_loop_reverted()
    {
        var warning = Regex.Match(_build.Output, @"(?<where>\S+\(\d+,\d+\)): warning PSLM5001: loop reverted: asan found test Validate differs from the serial build with \d+ threads: line 2: serial ""more than one thread: no"", got ""more than one thread: yes""");
        Assert.That(warning.Success, Is.True, ProcessResult.Tail(_build.Output));
        Assert.That(warning.Groups["where"].Value, Is.EqualTo($"{Main}(11,5)"));
        Assert.That(_build.Output, Does.Contain("final program equals the serial build in 3/3 run(s)"));
    }
}
